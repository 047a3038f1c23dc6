"""The one charter document reader: every layout départements use, and nothing silently lost.

It finds orientations (numbered orientations or axes, chapters by stage of the procedure),
actions (numbered or not; one « Engagements des partenaires » action for an axe that has none),
partners (a heading or a section per partner, « X s'engage à »), their commitments, shared
commitments (« engagements partagés », « les signataires s'engagent à », two or three partners
jointly), signed declarations, the signatories page and the lexicon, and keeps every line it could
not place with its line number. The table of contents, the garbled cover and the platform's own
export furniture never open a section. Both the demo loader (the Paris seed, plain OCR text) and
the charter importer (any département's document, as text, pandoc Markdown or PDF text) read
with it.
"""

from __future__ import annotations

import re
from collections import Counter

from charter.parsing.cleanup import sentence_case
from charter.parsing.headings import (
    is_partner_first,
    unique_lexicon,
)
from charter.parsing.lines import ACTION_RE, BULLET_RE, ORIENTATION_RE, read_lines
from charter.parsing.matching import match_partner
from charter.parsing.reader import Reader
from charter.parsing.sections import (
    find_title,
    parse_declaration,
    partner_kind,
    partner_names,
    strip_article,
    upper_case_tokens,
)
from charter.parsing.structure import (
    ORGANISATION_WITH_ACRONYM_RE,
)
from charter.parsing.types import (
    DocumentPartner,
    ParsedDocument,
    Unplaced,
)

__all__ = ["ACTION_RE", "BULLET_RE", "ORIENTATION_RE", "parse_document"]


def parse_document(text: str) -> ParsedDocument:
    """Parse a charter document's text (Markdown or plain, possibly OCR'd, or a PDF's text)."""
    lines = read_lines(text)
    document = "\n".join(line.text for line in lines)
    partner_first = is_partner_first(lines)
    reader = Reader(lines, partner_first)
    reader.read()
    title = find_title(document)
    reader.finish_cover(title)
    lexicon = unique_lexicon(reader.lexicon)
    keep_upper = upper_case_tokens(document)
    partners = []
    for index, raw in enumerate(reader.partner_raw):
        name, short_name = partner_names(raw, tuple(lexicon), document)
        signed = ORGANISATION_WITH_ACRONYM_RE.match(raw)
        if index in reader.signed_names and signed:
            name, short_name = strip_article(signed.group("name")), signed.group("short").strip()
        partners.append(DocumentPartner(name, short_name, partner_kind(name), raw))
    for key, orientation in reader.orientations.items():
        titles = Counter(title for title in reader.orientation_titles.get(key, []) if title)
        orientation.title = titles.most_common(1)[0][0] if titles else ""
        if orientation.title and orientation.title == orientation.title.upper():
            orientation.title = sentence_case(orientation.title, keep_upper)
        if not orientation.title:
            orientation.title = f"Orientation {orientation.number}"
    for key, action in reader.actions.items():
        action.title = reader.action_titles[key].most_common(1)[0][0]
    declarations = []
    for current, named, number, block in reader.declarations:
        found = match_partner(named, partners) if named else None
        if found is None and current is not None:
            found = (current, "partenaire de la section")
        if found is None:
            reader.unplaced.append(
                Unplaced(number, block[0], "déclaration d'un partenaire inconnu")
            )
            continue
        parsed = parse_declaration(partners[found[0]].short_name, block)
        if parsed is None:
            reader.unplaced.append(Unplaced(number, block[0], "déclaration sans lieu ni date"))
        else:
            declarations.append(_with_match(parsed, found[1]))
    _joint_from_suffix(reader.commitments, partners)
    for commitment in reader.shared:
        if commitment.action_key:
            continue  # stored once, owned by its partners (imports.tree)
        owners = (
            "tous les signataires"
            if commitment.all_signatories
            else ", ".join(partners[i].short_name for i in commitment.partners)
        )
        reader.unplaced.append(
            Unplaced(
                commitment.line,
                commitment.markdown,
                f"engagement partagé ({owners}) sans action : à rattacher à une action",
            )
        )
    reader.unplaced.sort(key=lambda item: item.line)
    orientations = sorted(reader.orientations.values(), key=lambda o: o.number)
    return ParsedDocument(
        title=title,
        layout="partenaires d'abord" if partner_first else "orientations d'abord",
        introduction="\n\n".join(reader.introduction),
        orientations=orientations,
        partners=partners,
        commitments=reader.commitments,
        declarations=declarations,
        lexicon=lexicon,
        unplaced=reader.unplaced,
        shared_commitments=reader.shared,
        signatories=reader.signatories,
    )


def _with_match(declaration, match: str):
    from dataclasses import replace

    return replace(declaration, match=match)


JOINT_SUFFIX = re.compile(r"\s*\(avec ([^()]+)\)\s*$")


def _joint_from_suffix(commitments: list, partners: list) -> None:
    """A commitment ending « (avec X, Y) » (the platform's export of a shared commitment) is
    shared with X and Y when both are partners of the document: the suffix is removed."""
    for commitment in commitments:
        last = commitment.items[-1] if commitment.items else commitment.text
        found = JOINT_SUFFIX.search(last)
        if found is None:
            continue
        names = [n.strip() for n in re.split(r",| et ", found.group(1)) if n.strip()]
        indexes = [match_partner(name, partners) for name in names]
        if not names or any(index is None for index in indexes):
            continue
        stripped = last[: found.start()].rstrip()
        if commitment.items:
            commitment.items[-1] = stripped
        else:
            commitment.text = stripped
        others = tuple(i for i, _how in indexes if i != commitment.partner)
        commitment.partners = (commitment.partner, *others)
