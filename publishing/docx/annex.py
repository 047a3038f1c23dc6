"""The engagements annex written straight into the DOCX, in the XML pandoc writes for it.

The annex (partner → orientation → action → commitments) is nearly all of a large charter:
at 10,000 commitments, 1.7 MB of the 1.8 MB of Markdown, and pandoc's cost grows with it
(about 5 s of CPU to read and write it; 0.05 s for the rest of the document). Its headings and
the lists whose commitments are plain text are written here, as pandoc would write them; a list
holding any Markdown syntax (emphasis, nested list, link…) is still converted by pandoc, in the
same run as the rest of the document, between marker paragraphs, and moved into place.

What pandoc writes is learnt from two sample lists converted with the document (list numbering,
paragraph properties) and checked: if pandoc writes them otherwise, `DirectAnnexError` tells the
caller to convert the whole annex with pandoc. The result is the document pandoc makes, except
the bookmarks of the annex headings (their own names and numbers; the « Sommaire » links them).
"""

import re
import secrets
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from .markdown import Heading, engagements_outline, list_item

W_P, W_T, W_VAL, W_ID = qn("w:p"), qn("w:t"), qn("w:val"), qn("w:id")
_NUM_ID = f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}"
_ABSTRACT_NUM_ID = qn("w:abstractNumId")
_XMLNS = re.compile(r' xmlns:\w+="[^"]*"')

# Markdown syntax anywhere in a paragraph (and what pandoc writes otherwise: tabs, double
# spaces, control characters, soft hyphens (`w:softHyphen`), other whitespace than the space
# and the no-break spaces); at its start, a list marker, a rule,
# a definition, a line block (`-`, `+`, `:`, `(a)`, `1.`, `i)`…).
_SYNTAX = re.compile(r"[\\`*_\[\]{}<>#|~^$@&\x00-\x1f\x7f\xad]|  |[^\S \u00a0\u202f]")
_HEADING_SYNTAX = re.compile(r"[&\x00-\x1f\x7f\xad]")
_START = re.compile(r"[-+:(=%]|(?:[0-9]+|[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+)[.)](?: |$)")


def plain_paragraphs(text: str) -> list[str] | None:
    """The paragraphs of a commitment's text when it is plain text (pandoc writes each as one
    run of the same text); None when pandoc must read it."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return None
    paragraphs = text.split("\n\n")
    for paragraph in paragraphs:
        if (
            not paragraph
            or paragraph[0].isspace()
            or paragraph[-1].isspace()
            or _SYNTAX.search(paragraph)
            or _START.match(paragraph)
        ):
            return None
    return paragraphs


def _heading_text(text: str) -> str | None:
    """A heading's text as pandoc writes it (`markdown.inline` escapes every symbol), or None
    when pandoc would read more in it (an HTML entity, a control character)."""
    text = " ".join(text.split())
    if _HEADING_SYNTAX.search(text):
        return None
    return text


class DirectAnnexError(Exception):
    """pandoc did not write the sample lists as expected: convert the whole annex with pandoc."""


def _style_id(document, name: str) -> str:
    try:
        return document.styles[name].style_id
    except KeyError as error:
        raise DirectAnnexError(f"style « {name} » absent") from error


class DirectAnnex:
    """The engagements annex of one snapshot: the Markdown to put under its title (markers,
    samples and the lists pandoc must read), then `write` into the converted document."""

    def __init__(self, outline: list[Heading | list[str]], headings: list[str]):
        self.outline = outline
        self.headings = headings
        self.token = f"zq{secrets.token_hex(8)}"
        self.plain = [
            None if isinstance(entry, Heading) else [plain_paragraphs(t) for t in entry]
            for entry in outline
        ]

    @classmethod
    def of(cls, snapshot: dict) -> "DirectAnnex | None":
        """None when a heading needs pandoc (then the whole annex goes through it)."""
        outline = engagements_outline(snapshot)
        headings = [_heading_text(e.text) for e in outline if isinstance(e, Heading)]
        if any(text is None for text in headings):
            return None
        return cls(outline, headings)

    def _pandoc_lists(self):
        return [
            (index, entry)
            for index, (entry, plain) in enumerate(zip(self.outline, self.plain, strict=True))
            if plain is not None and None in plain
        ]

    def markdown_lines(self) -> list[str]:
        """Under the annex title: the samples, then each list pandoc must read after its marker."""
        marker, sample = f"{self.token}m", f"{self.token}s"
        lines = [f"{marker}start", "", f"- {sample}loose", "", f"    {sample}more", ""]
        lines += [f"{marker}second", "", f"- {sample}compact", ""]
        for index, entry in self._pandoc_lists():
            lines += [f"{marker}list{index}", ""]
            for text in entry:
                lines += [list_item(text), ""]
        return [*lines, f"{marker}end", ""]

    def write(self, document) -> None:
        """Replace the markers and samples by the annex's headings and lists."""
        body = document.element.body
        marker = f"{self.token}m"
        segments: dict[str, list] = {}
        current = anchor = None
        for child in body.iterchildren():
            text = "".join(t.text or "" for t in child.iter(W_T)) if child.tag == W_P else ""
            if text.startswith(marker):
                current = text[len(marker) :]
                if current == "end":
                    anchor = child
                    break
                segments[current] = [child]
            elif current is not None:
                segments[current].append(child)
        if (
            anchor is None
            or len(segments.get("start", ())) != 3
            or len(segments.get("second", ())) != 2
        ):
            raise DirectAnnexError("marqueurs introuvables")
        loose, more = segments["start"][1:3]
        compact = segments["second"][1]
        title = segments["start"][0].getprevious()  # the annex's title, written by pandoc
        templates = self._templates(document, loose=loose, more=more, compact=compact, title=title)
        numbering = document.part.numbering_part.element
        abstract = next(
            num.find(_ABSTRACT_NUM_ID).get(W_VAL)
            for num in numbering.iterchildren(qn("w:num"))
            if num.get(qn("w:numId")) == templates["list"]
        )
        free_nums = [templates["list"], templates["compact_list"]]
        next_num = max(int(n.get(qn("w:numId"))) for n in numbering.iterchildren(qn("w:num")))
        next_bookmark = max((int(b.get(W_ID)) for b in body.iter(qn("w:bookmarkStart"))), default=0)
        styles = {level: _style_id(document, f"Heading {level}") for level in (2, 3, 4)}
        headings = iter(self.headings)

        new_nums: list[str] = []
        chunk: list[str] = []

        def flush() -> None:
            if chunk:
                fragment = parse_xml(f"<w:body {nsdecls('w')}>{''.join(chunk)}</w:body>")
                for element in list(fragment):
                    anchor.addprevious(element)
                chunk.clear()

        for index, (entry, plain) in enumerate(zip(self.outline, self.plain, strict=True)):
            if isinstance(entry, Heading):
                next_bookmark += 1
                chunk.append(
                    f'<w:bookmarkStart w:id="{next_bookmark}" '
                    f'w:name="Annexe_engagements_{next_bookmark}"/>'
                    + templates["heading"].format(
                        style=styles[entry.level], text=escape(next(headings))
                    )
                    + f'<w:bookmarkEnd w:id="{next_bookmark}"/>'
                )
            elif None in plain:
                flush()
                for element in segments[f"list{index}"][1:]:
                    anchor.addprevious(element)
            else:
                if free_nums:
                    num = free_nums.pop(0)
                else:
                    next_num += 1
                    num = str(next_num)
                    new_nums.append(
                        f'<w:num w:numId="{num}"><w:abstractNumId w:val="{abstract}"/></w:num>'
                    )
                # pandoc: a list of one one-paragraph item is compact, any other is loose.
                compact = len(plain) == 1 and len(plain[0]) == 1
                first = templates["compact" if compact else "loose"]
                for paragraphs in plain:
                    chunk.append(first.format(num=num, text=escape(paragraphs[0])))
                    chunk.extend(templates["more"].format(text=escape(p)) for p in paragraphs[1:])
        flush()
        # The markers and the samples go; the lists pandoc converted have moved.
        for name, segment in segments.items():
            for element in segment if name in ("start", "second") else segment[:1]:
                body.remove(element)
        body.remove(anchor)
        if new_nums:
            fragment = parse_xml(f"<w:numbering {nsdecls('w')}>{''.join(new_nums)}</w:numbering>")
            for element in list(fragment):
                numbering.append(element)

    def _templates(self, document, *, loose, more, compact, title) -> dict[str, str]:
        """The XML of a heading, a list's first paragraph (loose or compact list) and an item's
        next paragraph, checked against what pandoc wrote for the annex title and the samples."""
        sample = f"{self.token}s"

        def num_id(paragraph) -> str:
            element = paragraph.find(_NUM_ID)
            if element is None:
                raise DirectAnnexError("liste d'exemple sans numérotation")
            return element.get(W_VAL)

        compact_style = _style_id(document, "Compact")
        numbers = {
            "list": num_id(loose),
            "continued": num_id(more),
            "compact_list": num_id(compact),
        }
        item = (
            '<w:p><w:pPr>{style}<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/>'
            '</w:numPr></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        )
        templates = {
            "heading": (
                '<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
                '<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
            ),
            "loose": item.replace("{style}", ""),
            "more": item.replace("{style}", "").replace("{num}", numbers["continued"]),
            "compact": item.replace("{style}", f'<w:pStyle w:val="{compact_style}"/>'),
        }
        title_text = "".join(t.text or "" for t in title.iter(W_T)) if title is not None else ""
        for name, paragraph, text, num in (
            ("heading", title, title_text, ""),
            ("loose", loose, f"{sample}loose", numbers["list"]),
            ("more", more, f"{sample}more", numbers["continued"]),
            ("compact", compact, f"{sample}compact", numbers["compact_list"]),
        ):
            expected = templates[name].format(
                num=num, text=escape(text), style=_style_id(document, "Heading 1")
            )
            written = (
                _XMLNS.sub("", etree.tostring(paragraph, encoding="unicode", with_tail=False))
                if paragraph is not None
                else None
            )
            if written != expected:
                raise DirectAnnexError(f"pandoc écrit autrement : {written}")
        return {**templates, **numbers}
