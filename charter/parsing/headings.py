"""The reader's vocabulary: what a heading, a partner's name or a lexicon line looks like."""

from __future__ import annotations

import re
from collections import Counter

from charter.parsing.cleanup import fold
from charter.parsing.lines import ACTION_RE, ORIENTATION_RE, Line
from charter.parsing.structure import (
    ORGANISATION_WITH_ACRONYM_RE,
    PREAMBLE_RE,
    SHARED_HEADING_RE,
    STRUCTURE_RE,
)
from charter.parsing.types import (
    ParsedLexiconEntry,
)

IMPLICIT_ACTION_TITLE = "Engagements des partenaires"
LEXICON_RE = re.compile(
    r"^(?:annexe\s+[\dIVX]+\s*[-–—:.]*\s*)?(?:lexique|glossaire|liste des sigles|sigles)\b",
    re.IGNORECASE,
)
LEXICON_HEADER_RE = re.compile(r"^(?:sigles?|termes?)\b", re.IGNORECASE)
ANNEX_RE = re.compile(r"^annexe\s+[\dIVX]+\s*$", re.IGNORECASE)
DECLARATION_RE = re.compile(r"^d[ée]claration\b", re.IGNORECASE)
PARTNER_PREFIX_RE = re.compile(
    r"^(?:(?:les\s+)?engagements?\s+(?:de\s+la|de\s+l'|du|des|de|d')\s*|partenaire\s*:\s*)"
    r"(?P<name>.+?)\s*:?\s*$",
    re.IGNORECASE,
)
ENGAGES_RE = re.compile(
    r"^(?P<name>.+?)\s+s'engagen?t?(?:\s+(?:conjointement|ensemble|collectivement))?"
    r"(?:\s+(?:à|a))?\s*:?\s*$",
    re.IGNORECASE,
)
# « La CAF s'engage à informer… »: a partner's commitment written as one paragraph.
ENGAGES_SENTENCE_RE = re.compile(
    r"^(?P<name>[A-ZÀ-Ý][^:;.]{1,90}?)\s+s'engagen?t?"
    r"(?:\s+(?:conjointement|ensemble|collectivement))?\s+(?:à|a)\s+(?P<text>\S.{8,})$"
)
GENERIC_HEADINGS = re.compile(
    r"^(?:(?:les\s+)?engagements\s+des\s+partenaires\b|charte\b|sommaire\b|pr[ée]ambule\b)",
    re.IGNORECASE,
)
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman(text: str) -> int:
    total, previous = 0, 0
    for char in reversed(text.upper()):
        value = ROMAN[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


def number(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else roman(text)


def heading_match(line: Line, pattern: re.Pattern[str]) -> re.Match[str] | None:
    if line.bullet:
        return None
    match = pattern.match(line.text)
    if match is None:
        return None
    has_number = bool(match.group("number"))
    has_colon = ":" in match.group("sep") or bool(re.match(r"\s*[.–—-]", match.group("sep")))
    if not (has_number or has_colon):
        return None
    if not has_number and not (match.group("title") or "").strip():
        return None
    return match


def lexicon_entry(text: str) -> ParsedLexiconEntry | None:
    if text.startswith("|"):
        cells = [cell.strip() for cell in text.strip("|").split("|")]
        cells = [cell for cell in cells if cell]
        if len(cells) >= 2 and fold(cells[0]) not in ("sigle", "terme", "sigles"):
            return ParsedLexiconEntry(cells[0], " ".join(" ".join(cells[1:]).split()))
        return None
    if "\t" in text:
        term, _tab, definition = text.partition("\t")
        if LEXICON_HEADER_RE.match(fold(term)):
            return None
        if term.strip() and definition.strip():
            return ParsedLexiconEntry(term.strip(), " ".join(definition.split()))
    match = re.match(r"^(?P<term>[^:=–—]{1,40}?)\s*(?::|=|–|—|\s-\s)\s*(?P<definition>\S.*)$", text)
    if match and len(match.group("term").split()) <= 5:
        return ParsedLexiconEntry(match.group("term").strip(), match.group("definition").strip())
    return None


def clean_partner_heading(text: str) -> str:
    text = text.strip().rstrip(":").strip()
    for pattern in (PARTNER_PREFIX_RE, ENGAGES_RE):
        match = pattern.match(text)
        if match:
            return match.group("name").strip().rstrip(":").strip()
    return text


def explicit_partner(text: str) -> bool:
    if STRUCTURE_RE.match(text) or SHARED_HEADING_RE.match(text):
        return False
    return bool(PARTNER_PREFIX_RE.match(text) and not GENERIC_HEADINGS.match(text)) or bool(
        ENGAGES_RE.match(text)
    )


def partner_key(raw: str) -> str:
    """A partner's heading without its article and its « (SIGLE) », folded."""
    base = ORGANISATION_WITH_ACRONYM_RE.match(raw)
    name = base.group("name") if base else raw
    return fold(re.sub(r"^(?:la|le|les|l')\s*", "", fold(name)))


def is_partner_first(lines: list[Line]) -> bool:
    orientation_keys: Counter = Counter()
    action_keys: Counter = Counter()
    for line in lines:
        if match := heading_match(line, ORIENTATION_RE):
            orientation_keys[match.group("number") or fold(match.group("title") or "")] += 1
        elif match := heading_match(line, ACTION_RE):
            action_keys[match.group("number") or fold(match.group("title"))] += 1
    repeated = [*orientation_keys.values(), *action_keys.values()]
    if repeated and max(repeated) > 1:
        return True
    # One partner only: its name stands right above the first orientation heading.
    first = next((i for i, line in enumerate(lines) if heading_match(line, ORIENTATION_RE)), 0)
    return first > 0 and names_a_partner(lines[first - 1])


def names_a_partner(line: Line) -> bool:
    """Tell whether a plain line reads as an organisation's name (not a sentence, not a title)."""
    text = line.text
    return not (
        line.heading
        or line.bullet
        or len(text.split()) > 20
        or text.endswith((".", ";", "?", "!", ":"))
        or not text[:1].isupper()
        or any(pattern.match(text) for pattern in (GENERIC_HEADINGS, ANNEX_RE, LEXICON_RE))
        or heading_match(line, ACTION_RE)
        or PREAMBLE_RE.match(text)
        or STRUCTURE_RE.match(text)
    )


def unique_lexicon(entries: list[ParsedLexiconEntry]) -> list[ParsedLexiconEntry]:
    seen: set[str] = set()
    unique = []
    for entry in entries:
        if entry.term.casefold() not in seen:
            seen.add(entry.term.casefold())
            unique.append(entry)
    return unique
