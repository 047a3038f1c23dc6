"""Parser for the charter annexes: partner commitments, declarations and lexicon."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from charter.parsing.cleanup import (
    LETTER,
    fold,
    join_continuation_lines,
    join_hyphenated_words,
    join_wrapped_lines,
    repair_characters,
    sentence_case,
)
from charter.parsing.types import (
    ParsedAction,
    ParsedAnnexes,
    ParsedCommitmentBlock,
    ParsedDeclaration,
    ParsedLexiconEntry,
    ParsedOrientation,
    ParsedPartner,
)

ORIENTATION_RE = re.compile(r"^ORIENTATION\s+N\s*[°º]?\s*(\d+)\s*[:.–-]\s*(.+)$", re.IGNORECASE)
ACTION_RE = re.compile(r"^Action\s+(?:n\s*[°º]\s*)?(\d+)\s*[:.–-]\s*(.+)$", re.IGNORECASE)
TOP_BULLET_RE = re.compile(r"^[-–•]\s+(.+)$")
NESTED_BULLET_RE = re.compile(r"^[ \t]+[-–•]\s+(.+)$")
DECLARATION_RE = re.compile(r"^D[ée]claration\b", re.IGNORECASE)
LEXICON_HEADING_RE = re.compile(r"^(?:LEXIQUE|GLOSSAIRE)\b", re.IGNORECASE)
ANNEX_HEADING_RE = re.compile(r"^ANNEXE\s+\d+\s*$", re.IGNORECASE)
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


@dataclass
class _PartnerDraft:
    """Mutable partner being read from the document."""

    raw_name: str
    blocks: list[tuple[int, int, list[list]]] = field(default_factory=list)


@dataclass
class _Reader:
    """State of the line-by-line reading of Annexe 2."""

    partners: list[_PartnerDraft] = field(default_factory=list)
    orientation_titles: dict[int, list[str]] = field(default_factory=dict)
    action_titles: dict[int, list[str]] = field(default_factory=dict)
    action_orientations: dict[int, list[int]] = field(default_factory=dict)
    declarations: list[tuple[int, list[str]]] = field(default_factory=list)
    orientation: int | None = None
    in_declaration: bool = False
    open_item: tuple[list, int, bool] | None = None

    def read(self, lines: list[str]) -> None:
        """Read every line of the commitments section."""
        for index, line in enumerate(lines):
            self.read_line(line, _next_nonblank(lines, index))

    def read_line(self, line: str, next_line: str) -> None:
        """Dispatch one line to the right handler."""
        stripped = line.strip()
        orientation = ORIENTATION_RE.match(stripped)
        if orientation:
            self.start_orientation(int(orientation.group(1)), orientation.group(2))
            return
        if self.open_item and stripped and _continues(line, self.open_item):
            container, index, _ = self.open_item
            container[index] += " " + stripped
        elif stripped and ORIENTATION_RE.match(next_line) and not _is_structural(line):
            self.partners.append(_PartnerDraft(stripped))
            self.in_declaration = False
        elif self.in_declaration:
            self.declarations[-1][1].append(line)
        elif DECLARATION_RE.match(stripped) and self.partners:
            self.in_declaration = True
            self.declarations.append((len(self.partners) - 1, [stripped]))
        elif stripped:
            self.read_commitment_line(line)
            return
        self.open_item = None

    def start_orientation(self, number: int, title: str) -> None:
        """Record an orientation heading; an all-caps line right below continues it."""
        self.orientation = number
        self.in_declaration = False
        titles = self.orientation_titles.setdefault(number, [])
        titles.append(title.strip())
        self.open_item = (titles, -1, True) if title.isupper() else None

    def read_commitment_line(self, line: str) -> None:
        """Handle an action heading or a (nested) bullet; remember the item left open."""
        self.open_item = None
        action = ACTION_RE.match(line.strip())
        if action and self.partners and self.orientation is not None:
            number = int(action.group(1))
            self.action_titles.setdefault(number, []).append(action.group(2).strip())
            self.action_orientations.setdefault(number, []).append(self.orientation)
            self.partners[-1].blocks.append((self.orientation, number, []))
            return
        blocks = self.partners[-1].blocks if self.partners else []
        nested, top = NESTED_BULLET_RE.match(line), TOP_BULLET_RE.match(line)
        if nested and blocks and blocks[-1][2]:
            items = blocks[-1][2][-1][1]
            items.append(nested.group(1).strip())
            self.open_item = (items, -1, False)
        elif top and blocks:
            blocks[-1][2].append([top.group(1).strip(), []])
            self.open_item = (blocks[-1][2][-1], 0, False)


def _continues(line: str, open_item: tuple[list, int, bool]) -> bool:
    """Tell whether a line right below an open item (or all-caps heading) continues it."""
    upper_only = open_item[2]
    if _is_structural(line) or ORIENTATION_RE.match(line.strip()):
        return False
    return line.isupper() or not upper_only


def _is_structural(line: str) -> bool:
    """Tell whether a line is a bullet or an action heading (never a partner name)."""
    stripped = line.strip()
    return bool(TOP_BULLET_RE.match(stripped) or ACTION_RE.match(stripped) or line[:1].isspace())


def _next_nonblank(lines: list[str], index: int) -> str:
    """Return the next non-blank line after ``index``, stripped."""
    for line in lines[index + 1 :]:
        if line.strip():
            return line.strip()
    return ""


def _commitment_markdown(text: str, items: list[str]) -> str:
    """Render a commitment and its sub-items as Markdown."""
    if not items:
        return text
    return text + "\n\n" + "\n".join(f"- {item}" for item in items)


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


def parse_lexicon(lines: list[str]) -> tuple[ParsedLexiconEntry, ...]:
    """Read tab-separated ``term<TAB>definition`` lines until the first other text."""
    entries: list[ParsedLexiconEntry] = []
    for line in lines:
        if "\t" in line:
            term, definition = (part.strip() for part in line.split("\t", 1))
            if term and definition:
                entries.append(ParsedLexiconEntry(term, " ".join(definition.split())))
        elif line.strip() and entries:
            break
    return tuple(entries)


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
        stripped = line.strip()
        if re.match(r"^Charte\s", stripped, re.IGNORECASE) and not stripped.endswith((".", ":")):
            return stripped
    mention = re.search(r"\b(Charte [^.,;:\n]*?expulsions? locatives?)", text)
    return mention.group(1) if mention else ""


def _canonical_orientations(reader: _Reader, keep_upper: frozenset[str]) -> tuple:
    """Build the canonical orientations with their most frequent action titles."""
    orientations = []
    for number in sorted(reader.orientation_titles):
        title = Counter(reader.orientation_titles[number]).most_common(1)[0][0]
        if title == title.upper():
            title = sentence_case(title, keep_upper)
        actions = tuple(
            ParsedAction(action, Counter(reader.action_titles[action]).most_common(1)[0][0])
            for action in sorted(reader.action_titles)
            if Counter(reader.action_orientations[action]).most_common(1)[0][0] == number
        )
        orientations.append(ParsedOrientation(number, title, actions))
    return tuple(orientations)


def _build_partners(reader: _Reader, lexicon: tuple, document: str) -> tuple[ParsedPartner, ...]:
    """Turn the partner drafts into immutable partners."""
    partners = []
    for position, draft in enumerate(reader.partners, start=1):
        name, short_name = partner_names(draft.raw_name, lexicon, document)
        blocks = tuple(
            ParsedCommitmentBlock(
                orientation,
                action,
                tuple(_commitment_markdown(text, items) for text, items in commitments),
            )
            for orientation, action, commitments in draft.blocks
            if commitments
        )
        partners.append(ParsedPartner(name, short_name, partner_kind(name), position, blocks))
    return tuple(partners)


def _split_sections(lines: list[str]) -> tuple[list[str], list[str]]:
    """Split the document into the commitments section and the lexicon section."""
    lexicon_start = next(
        (index for index, line in enumerate(lines) if LEXICON_HEADING_RE.match(line.strip())),
        len(lines),
    )
    end = lexicon_start
    while end > 0 and (not lines[end - 1].strip() or ANNEX_HEADING_RE.match(lines[end - 1])):
        end -= 1
    return lines[:end], lines[lexicon_start + 1 :]


def parse_annexes(text: str) -> ParsedAnnexes:
    """Parse the partner commitments (Annexe 2) and the lexicon (Annexe 3)."""
    document = join_continuation_lines(join_hyphenated_words(repair_characters(text)))
    commitments_lines, lexicon_lines = _split_sections(document.split("\n"))
    lexicon = parse_lexicon(lexicon_lines)
    reader = _Reader()
    reader.read(commitments_lines)
    partners = _build_partners(reader, lexicon, document)
    declarations = tuple(
        declaration
        for index, lines in reader.declarations
        if (declaration := parse_declaration(partners[index].short_name, lines))
    )
    return ParsedAnnexes(
        title=find_title(document),
        orientations=_canonical_orientations(reader, upper_case_tokens(document)),
        partners=partners,
        declarations=declarations,
        lexicon=lexicon,
    )
