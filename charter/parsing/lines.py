"""The charter reader's lines: normalisation, numbering, table of contents, garbled text.

`read_lines` turns a document's text into the non-blank `Line`s the reader walks, each with the
number of the line of the text it came from (the user's line: joining wrapped or continued lines
never shifts it), its heading number (I, IV.1, 2.3.1) removed, and the table of contents left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from charter.parsing.cleanup import (
    fold,
    join_continuation_lines,
    join_hyphenated_words,
    repair_characters,
    strip_emphasis,
)
from charter.parsing.structure import (
    DECLARATIONS_RE,
    PREAMBLE_RE,
    SIGNATURES_RE,
    heading_like,
    is_stage_heading,
)

SECTION_RE = re.compile(r"^(?:les\s+)?engagements?\s+(?:de|du|des|d'|partag|commun)", re.I)

ORIENTATION_RE = re.compile(
    r"^(?:orientation|axe|chapitre)(?:\s+strat[ée]gique)?(?:\s*n\s*[°º]|\s+no\.?)?\s*"
    r"(?P<number>\d+|[IVXL]+\b)?(?P<sep>\s*[:.–—-]\s*|\s+(?=[A-ZÀ-Ý]))(?P<title>.*\S)?\s*$",
    re.IGNORECASE,
)
ACTION_RE = re.compile(
    r"^(?:fiche[- ]action|action)(?:\s*n\s*[°º]|\s+no\.?)?\s*"
    r"(?P<number>\d+(?:\s*[-.]\s*\d+)?)?(?P<sep>\s*[:.–—-]\s*|\s+(?=[A-ZÀ-Ý]))(?P<title>.*\S)\s*$",
    re.IGNORECASE,
)
BULLET_RE = re.compile(r"^(?P<indent>\s*)(?:[-*+•▪◦–]|\d{1,2}[.)])\s+(?P<text>\S.*)$")
# A heading's number: Roman (I, IV, IV.1, II-2) or dotted (2.3, 2.3.1), then a separator.
HEADING_NUMBER_RE = re.compile(
    r"^(?P<number>(?:[IVX]{1,5}(?:[.-]\d{1,2}){0,3}|\d{1,2}(?:\.\d{1,2}){1,3}))"
    r"(?:\s*[.)–—:-]\s*|\s+)(?=[A-ZÀ-Ýa-zà-ÿ«\"'])"
)
TOC_HEADING_RE = re.compile(r"^(?:sommaire|table des mati[èe]res)\s*:?\s*$", re.IGNORECASE)
# A line of a table of contents: dotted (or spaced) leaders, or a tab, before a page number.
TOC_LEADERS_RE = re.compile(r"(?:\.{3,}|…+|_{3,}|\s{3,}|\t)\s*\d{1,3}\s*$")
TOC_PAGE_RE = re.compile(r"\s\d{1,3}\s*$")
MARKDOWN_LINK_RE = re.compile(r"\[([^\]]*)\]\(#[^)]*\)")
WORD_RE = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿœŒ'’-]{2,}")


@dataclass
class Line:
    """One non-blank line: its number in the user's text, its text, and what it looks like."""

    number: int
    text: str
    heading: bool = False
    bullet: bool = False
    nested: bool = False
    numbered: bool = False
    # The user's line as written (Markdown emphasis kept) when it is this line alone.
    raw: str = ""


def normalise(text: str) -> str:
    """Repair OCR noise and Markdown escapes, keeping one line per paragraph or item."""
    text = text.replace("\r\n", "\n")
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~'\"$&%])", r"\1", text)
    text = MARKDOWN_LINK_RE.sub(r"\1", text)
    text = re.sub(r"(?m)\\$", "", text)  # a Markdown hard line break
    text = repair_characters(text)
    text = re.sub(r"(?m)^\s*\|?\s*:?-{3,}.*$", "", text)
    return join_continuation_lines(join_hyphenated_words(text))


def strip_heading_number(text: str) -> tuple[str, bool]:
    """Remove a Roman or dotted heading number (« IV.1 Les engagements » → « Les engagements »)."""
    match = HEADING_NUMBER_RE.match(text)
    if match is None or len(text) - match.end() < 3:
        return text, False
    return text[match.end() :].strip(), True


def garbled(text: str) -> bool:
    """Tell whether a line is noise (a scanned cover read by OCR): few real words in it."""
    if text.startswith("|") or len(text) < 4:
        return False
    visible = [char for char in text if not char.isspace()]
    letters = sum(char.isalpha() for char in visible)
    digits = sum(char.isdigit() for char in visible)
    symbols = sum(not char.isalnum() and char not in ".,:;'’-()/@«»" for char in visible)
    word_chars = sum(len(word) for word in WORD_RE.findall(text))
    return symbols > 0.25 * len(visible) or (
        word_chars < 0.5 * len(visible) and digits < 0.3 * len(visible) and letters > 0
    )


def origins(source: str, document: str) -> list[int]:
    """For each line of the normalised `document`, the number of the `source` line it starts on.

    Lines are matched in order on their first letters (accents, case and spacing aside), so the
    repairs that join or split lines never shift the numbers given to the user.
    """
    keys = [_key(line) for line in source.split("\n")]
    numbers, cursor = [], 0
    for line in document.split("\n"):
        key = _key(line)[:24]
        found = cursor
        if key:
            for index in range(cursor, min(len(keys), cursor + 400)):
                if keys[index] and (keys[index].startswith(key) or key.startswith(keys[index])):
                    found = index
                    break
                if keys[index] and key in keys[index]:
                    found = index
                    break
        numbers.append(found + 1)
        cursor = found
    return numbers


def _key(line: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", fold(line))


def _toc_title(text: str) -> str:
    text = TOC_LEADERS_RE.sub("", text)
    text = TOC_PAGE_RE.sub("", text).strip()
    return fold(strip_heading_number(text)[0])


def read_lines(text: str) -> list[Line]:
    """The non-blank lines of a charter's text, numbered as in `text`, without its sommaire."""
    document = normalise(text)
    numbers = origins(text, document)
    lines: list[Line] = []
    for index, raw in enumerate(document.split("\n")):
        if not raw.strip():
            continue
        number = numbers[index]
        heading = bool(re.match(r"^\s*#{1,6}\s", raw))
        stripped = re.sub(r"^\s*#{1,6}\s+", "", raw).rstrip().rstrip("#").rstrip()
        bullet = BULLET_RE.match(stripped)
        if bullet and not ORIENTATION_RE.match(bullet.group("text")):
            if heading or _numbered_heading(stripped):
                text_, _ = strip_heading_number(re.sub(r"^\d{1,2}[.)]\s+", "", stripped))
                lines.append(Line(number, text_.strip(), True, numbered=True))
                continue
            indent = len(bullet.group("indent").replace("\t", "    "))
            lines.append(Line(number, bullet.group("text").strip(), False, True, indent >= 1))
            continue
        body, numbered = strip_heading_number(stripped.strip())
        lines.append(Line(number, body, heading or numbered, numbered=numbered))
    source = text.replace("\r\n", "\n").split("\n")
    for line in lines:
        written = re.sub(r"^\s*#{1,6}\s+", "", source[line.number - 1]).strip().rstrip("\\")
        written = re.sub(r"^(?:[-*+•]\s+)", "", written)
        if _key(strip_emphasis(written)) == _key(line.text):
            line.raw = written
    return _without_toc(lines)


def _numbered_heading(text: str) -> bool:
    """« 1. La prévention en amont » is a chapter, « 1. Signaler les impayés » an item: only a
    stage of the procedure, a partner's section, the préambule, the signatories or the
    declarations make a numbered line a heading."""
    body = re.sub(r"^\s*\d{1,2}[.)]\s+", "", text)
    if is_stage_heading(body):
        return True
    sections = (SIGNATURES_RE, PREAMBLE_RE, DECLARATIONS_RE, SECTION_RE)
    return heading_like(body) and any(pattern.match(body) for pattern in sections)


def _without_toc(lines: list[Line]) -> list[Line]:
    """Drop the table of contents: a « Sommaire » and the entries after it (page numbers, dotted
    leaders, or a title that the document repeats further down), and any dotted-leader line."""
    kept: list[Line] = []
    later: dict[str, int] = {}
    for position, line in enumerate(lines):
        later[fold(line.text)] = position
    in_toc = False
    for position, line in enumerate(lines):
        if TOC_HEADING_RE.match(line.text):
            in_toc = True
            continue
        if TOC_LEADERS_RE.search(line.text) and not line.text.startswith("|"):
            continue
        if in_toc:
            title = _toc_title(line.text)
            repeated = later.get(title, -1) > position
            if TOC_PAGE_RE.search(line.text) or (repeated and not line.bullet):
                continue
            in_toc = False
        kept.append(line)
    return kept
