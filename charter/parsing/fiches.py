"""Parser for the "fiches action" of a departmental plan, whatever their extraction layout.

Supported layouts: one field per tab-separated cell (with HTML fragments), plain text
with field headings on their own lines, and raw OCR where two columns are interleaved.
"""

from __future__ import annotations

import re

from charter.parsing.cleanup import (
    join_continuation_lines,
    join_hyphenated_words,
    join_wrapped_lines,
    repair_characters,
)
from charter.parsing.types import FICHE_FIELD_KEYS, ParsedFiche

LINKS_KEY = "links"
FIELD_HEADINGS: tuple[tuple[str, str], ...] = (
    ("constats", r"CONSTATS?"),
    ("pilots", r"PILOTES?\s+DE\s+(?:L'\s*)?ACTION"),
    ("target_audience", r"PUBLICS?\s+VIS[EÉ]S?"),
    ("associated_partners", r"PARTENAIRES\s+ASSOCI[EÉ]S"),
    ("objectives", r"OBJECTIFS?"),
    ("points_of_vigilance", r"POINTS?\s+DE\s+VIGILANCE"),
    ("operating_procedures", r"MODALIT[EÉ]S\s+OP[EÉ]RATOIRES"),
    ("resources", r"MOYENS"),
    ("implementation_timeline", r"D[EÉ]LAIS?\s+DE\s+MISE\s+EN\s+(?:OE|Œ)UVRE"),
    ("evaluation_indicators", r"INDICATEURS\s+D'\s*[EÉ]VALUATION"),
    (LINKS_KEY, r"LIENS\s+AVEC\s+D'\s*AUTRES(?:\s+FICHES(?:\s+(?:DU|DES|DE\s+LA)\s+[A-Z]+)?)?"),
    ("legal_framework", r"CADRE\s+JURIDIQUE"),
)
HEADING_RE = re.compile(
    "|".join(rf"(?P<{key}>(?<![\w']){pattern}(?![\w']))" for key, pattern in FIELD_HEADINGS)
)
ACTION_MARKER_RE = re.compile(r"^ACTION\s+(\d+)\s*[-–.]\s*(\d+)$")
ORIENTATION_LINE_RE = re.compile(r"^Orientation\s+(\d+)\s*[-–:]\s*(.+)$", re.IGNORECASE)
TAGLINE_RE = re.compile(r"^♦\s*(.+?)\s*♦$")
FICHE_REFERENCE_RE = re.compile(r"\bFiche\s+(\d+)\s*[-–]\s*(\d+)\b[ \t]*", re.IGNORECASE)
HEADING_REMNANT_RE = re.compile(r"^FICHES(?:\s+(?:DU|DES|DE LA)\s+[A-Z]+)?$")
SEPARATOR_RE = re.compile(r"^[\s|:-]*-{2,}[\s|:-]*$")
YEAR_RE = re.compile(r"^(?:19|20)\d{2}$")


def _prepare_lines(text: str) -> list[str]:
    """Repair characters, put each tab-separated cell on its own line, drop table rules."""
    repaired = repair_characters(text).replace("\t", "\n")
    return ["" if SEPARATOR_RE.match(line) else line.strip() for line in repaired.split("\n")]


def _take_title(lines: list[str]) -> tuple[str, str, list[str]]:
    """Find the ``ACTION x-y`` marker; return its code, the title and the other lines."""
    # The title runs until a tagline, a field heading, or a blank line followed by a line
    # that does not start with a lowercase letter (a title broken by a blank line goes on
    # in lowercase).
    index = next((i for i, line in enumerate(lines) if ACTION_MARKER_RE.match(line)), None)
    if index is None:
        raise ValueError("No 'ACTION x-y' marker found: not a fiche action.")
    marker = ACTION_MARKER_RE.match(lines[index])
    position, title_lines = index + 1, []
    while position < len(lines):
        line = lines[position]
        if TAGLINE_RE.match(line) or HEADING_RE.match(line):
            break
        if line and title_lines and not lines[position - 1] and not line[0].islower():
            break
        if line:
            title_lines.append(line)
        position += 1
    title = " ".join(" ".join(title_lines).split())
    code = f"{marker.group(1)}-{marker.group(2)}"
    return code, title, lines[:index] + lines[position:]


def _take_orientation(lines: list[str]) -> tuple[int | None, str | None, list[str]]:
    """Find an ``Orientation n - Title`` line and remove it."""
    for index, line in enumerate(lines):
        match = ORIENTATION_LINE_RE.match(line)
        if match:
            return int(match.group(1)), match.group(2).strip(), lines[:index] + lines[index + 1 :]
    return None, None, lines


def _take_tagline(lines: list[str]) -> tuple[str, list[str]]:
    """Find the ``♦ tagline ♦`` line and remove it."""
    for index, line in enumerate(lines):
        match = TAGLINE_RE.match(line)
        if match:
            return match.group(1), lines[:index] + lines[index + 1 :]
    return "", lines


def split_fields(text: str) -> list[tuple[str, str]]:
    """Split text into ``(key, raw content)`` pairs at every field heading."""
    matches = list(HEADING_RE.finditer(text))
    pairs = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        pairs.append((match.lastgroup or "", text[match.end() : end]))
    return pairs


def _split_inline_list(line: str) -> list[str]:
    """Split a flattened cell ``intro - item - item`` into Markdown lines."""
    head, separator, tail = line.partition("- ") if line.startswith("- ") else ("", "", "")
    if not separator:
        head, separator, tail = line.partition(" - ")
    intro = head.strip()
    if not separator or (intro and not intro.endswith(":") and not YEAR_RE.match(intro)):
        return [line]
    items = [item.strip() for item in re.split(r"\s+-\s+", tail) if item.strip()]
    return ([intro, ""] if intro else []) + [f"- {item}" for item in items]


def to_markdown(content: str) -> str:
    """Turn raw field content into Markdown paragraphs and ``- item`` lists."""
    lines = [line.strip() for line in content.strip().split("\n")]
    # A cell flattened onto one line (tab layout) carries its list inline: "- a - b".
    if len(lines) == 1:
        lines = _split_inline_list(lines[0])
    text = join_hyphenated_words("\n".join(lines))
    text = join_wrapped_lines(join_continuation_lines(text))
    markdown, previous_is_item = "", False
    for line in (line.strip() for line in text.split("\n")):
        line = re.sub(r"^[-–•]\s*", "- ", line)
        if not line:
            continue
        is_item = line.startswith("- ")
        separator = "\n" if is_item and previous_is_item else "\n\n"
        markdown += (separator if markdown else "") + line
        previous_is_item = is_item
    return markdown


def _separate_links(fields: dict[str, str]) -> tuple[tuple[str, ...], str]:
    """Move ``Fiche x-y`` references to the links and everything else to the legal framework."""
    pool = fields.get(LINKS_KEY, "") + "\n" + fields.get("legal_framework", "")
    codes = [f"{first}-{second}" for first, second in FICHE_REFERENCE_RE.findall(pool)]
    remaining = FICHE_REFERENCE_RE.sub("", pool)
    kept = [line for line in remaining.split("\n") if not HEADING_REMNANT_RE.match(line.strip())]
    return tuple(dict.fromkeys(codes)), to_markdown("\n".join(kept))


def parse_fiche(text: str) -> ParsedFiche:
    """Parse one fiche action into code, titles, tagline, canonical fields and links."""
    lines = _prepare_lines(text)
    code, title, lines = _take_title(lines)
    orientation_number, orientation_title, lines = _take_orientation(lines)
    tagline, lines = _take_tagline(lines)
    raw: dict[str, str] = {}
    for key, content in split_fields("\n".join(lines)):
        raw[key] = (raw.get(key, "") + "\n" + content).strip("\n")
    linked_codes, legal_framework = _separate_links(raw)
    values = {key: to_markdown(raw.get(key, "")) for key in FICHE_FIELD_KEYS}
    values["legal_framework"] = legal_framework
    return ParsedFiche(
        code=code,
        orientation_number=orientation_number or int(code.split("-")[0]),
        orientation_title=orientation_title,
        title=title,
        tagline=tagline,
        fields=tuple((key, values[key]) for key in FICHE_FIELD_KEYS),
        linked_codes=linked_codes,
    )
