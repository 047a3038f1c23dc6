"""Readers of a charter's parts: partner names and kinds, signed declarations, the title."""

from __future__ import annotations

import datetime
import re

from charter.parsing.cleanup import LETTER, fold, join_wrapped_lines
from charter.parsing.types import ParsedDeclaration, ParsedLexiconEntry

DATE_LINE_RE = re.compile(
    r"^(?P<place>[A-ZÀ-Ý][\w' -]*?),\s+le\s+"
    r"(?P<day>\d{1,2}|1er)\s+(?P<month>\w+)\s+(?P<year>\d{4})$"
)
MONTHS = {
    **{"janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6},
    **{"juillet": 7, "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12},
}

# Keyword rules, first match wins. The commission de surendettement is run by the
# Banque de France under the prefect's authority, so it is classified as "state";
# family allowance funds and Action logement are "social_body".
KIND_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("justice", ("huissiers?", "commissaires? de justice", "tribunal", "juges?", "barreau")),
    (
        "professional_federation",
        ("fnaim", "federation nationale de l'immobilier", "union nationale", "proprietaires"),
    ),
    ("landlord", ("bailleurs?", "hlm", "aorif", "office public", "offices?")),
    (
        "association",
        ("fondation", "association", "agence \\w+ d'information", "federation des acteurs"),
    ),
    ("social_body", ("caisse", "action logement", "centre communal d'action sociale")),
    (
        "state",
        (
            "prefecture",
            "direction regionale",
            "direction departementale",
            "ministere",
            "banque de france",
            "commission de surendettement",
            "etat",
        ),
    ),
    ("local_authority", ("departement", "ville", "commune", "metropole", "region", "mairie")),
)
INITIALS_SKIP = frozenset({"de", "du", "des", "la", "le", "les", "et", "sur", "pour", "a", "au"})


def strip_article(raw_name: str) -> str:
    """Remove a leading French article and capitalise the first letter."""
    name = re.sub(r"^(?:(?:La|Le|Les)\s+|L')", "", raw_name.strip())
    return name[:1].upper() + name[1:]


def _is_acronym_like(text: str) -> bool:
    """Tell whether a text starts with an upper-case acronym (``ADIL 75``, ``FAP - ESH``)."""
    first = text.split()[0] if text.split() else ""
    letters = [char for char in first if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def _initials(name: str) -> str:
    """Return the initials of the significant words of a name."""
    initials = ""
    for word in name.split():
        word = re.sub(r"^[ldLD]'", "", word)
        if word and fold(word) not in INITIALS_SKIP and word[0].isalpha():
            initials += word[0].upper()
    return initials


def partner_names(
    raw_name: str, lexicon: tuple[ParsedLexiconEntry, ...], document: str
) -> tuple[str, str]:
    """Return ``(name, short_name)`` for a partner heading, by the documented rules."""
    name = strip_article(raw_name)
    parenthesis = re.match(r"^(.*\S)\s*\(([^()]+)\)$", name)
    if parenthesis and _is_acronym_like(parenthesis.group(2)):
        return parenthesis.group(1), parenthesis.group(2).strip()
    for token in re.findall(r"[\w-]+", name):
        letters = [char for char in token if char.isalpha()]
        if len(letters) >= 3 and all(char.isupper() for char in letters):
            return name, token
    for entry in lexicon:
        if fold(entry.definition) == fold(name):
            return name, entry.term
    initials = _initials(name)
    if len(initials) >= 2 and re.search(rf"(?<![\w-]){initials}(?![\w-])", document):
        return name, initials
    return name, name


def partner_kind(name: str) -> str:
    """Classify a partner by keyword rules (see ``KIND_RULES``)."""
    key = fold(name)
    for kind, patterns in KIND_RULES:
        if any(re.search(rf"\b{pattern}\b", key) for pattern in patterns):
            return kind
    return "other"


def _markdown_block(lines: list[str]) -> str:
    """Join wrapped lines and collapse blank runs into single paragraph breaks."""
    text = join_wrapped_lines("\n".join(line.strip() for line in lines))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def parse_declaration(partner: str, lines: list[str]) -> ParsedDeclaration | None:
    """Parse a signed declaration: title, Markdown text, place and date, signature."""
    for index, line in enumerate(lines):
        match = DATE_LINE_RE.match(line.strip())
        if not match or match.group("month").lower() not in MONTHS:
            continue
        day = 1 if match.group("day") == "1er" else int(match.group("day"))
        month = MONTHS[match.group("month").lower()]
        date = datetime.date(int(match.group("year")), month, day)
        signature = [line.strip() for line in lines[index + 1 :] if line.strip()][:2]
        role, signer = split_signature(signature)
        text = _markdown_block(lines[1:index])
        return ParsedDeclaration(partner, lines[0], text, match.group("place"), date, signer, role)
    return None


def split_signature(lines: list[str]) -> tuple[str, str]:
    """Return ``(role, signer)`` from the lines under a date; the signer has a capitalised name."""
    if not lines:
        return "", ""
    if len(lines) == 1:
        return "", lines[0]
    first_is_signer = bool(re.search(r"\b[A-ZÀ-Ý]{2,}\b", lines[0]))
    second_is_signer = bool(re.search(r"\b[A-ZÀ-Ý]{2,}\b", lines[1]))
    if first_is_signer and not second_is_signer:
        return lines[1], lines[0]
    return lines[0], lines[1]


def upper_case_tokens(text: str) -> frozenset[str]:
    """Return the all-caps words used in lines that are not themselves all caps."""
    tokens: set[str] = set()
    for line in text.split("\n"):
        if any(char.islower() for char in line):
            tokens.update(
                word for word in re.findall(rf"{LETTER}+", line) if len(word) > 1 and word.isupper()
            )
    return frozenset(tokens)


def find_title(text: str) -> str:
    """Return the charter title: a standalone ``Charte …`` line, else a mention in the text."""
    for line in text.split("\n"):
        stripped = re.sub(r"^#+\s*", "", line).strip()
        if re.match(r"^Charte\s", stripped, re.IGNORECASE) and not stripped.endswith((".", ":")):
            return stripped
    mention = re.search(r"\b(Charte [^.,;:\n]*?expulsions? locatives?)", text)
    return mention.group(1) if mention else ""
