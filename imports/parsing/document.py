"""A generic charter document parser: partner-first or orientation-first layouts.

It finds orientations, actions (numbered or not), partners, their commitments, signed
declarations and the lexicon, and keeps every line it could not place. The text is first
repaired with the generic OCR rules of ``charter.parsing.cleanup``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from charter.parsing.annexes import (
    parse_declaration,
    partner_kind,
    partner_names,
    upper_case_tokens,
)
from charter.parsing.cleanup import (
    fold,
    join_continuation_lines,
    join_hyphenated_words,
    repair_characters,
    sentence_case,
)
from charter.parsing.types import ParsedLexiconEntry

SEP = r"\s*[:.–—-]\s*"
ORIENTATION_RE = re.compile(
    r"^(?:orientation|axe)(?:\s+strat[ée]gique)?(?:\s*n\s*[°º]|\s+no\.?)?\s*"
    r"(?P<number>\d+|[IVXL]+\b)?(?P<sep>\s*[:.–—-]\s*|\s+(?=[A-ZÀ-Ý]))(?P<title>.*\S)?\s*$",
    re.IGNORECASE,
)
ACTION_RE = re.compile(
    r"^(?:fiche[- ]action|action)(?:\s*n\s*[°º]|\s+no\.?)?\s*"
    r"(?P<number>\d+(?:\s*[-.]\s*\d+)?)?(?P<sep>\s*[:.–—-]\s*|\s+(?=[A-ZÀ-Ý]))(?P<title>.*\S)\s*$",
    re.IGNORECASE,
)
BULLET_RE = re.compile(r"^(?P<indent>\s*)(?:[-*+•▪◦–]|\d{1,2}[.)])\s+(?P<text>\S.*)$")
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
ENGAGES_RE = re.compile(r"^(?P<name>.+?)\s+s'engagen?t?(?:\s+(?:à|a))?\s*:?\s*$", re.IGNORECASE)
GENERIC_HEADINGS = re.compile(
    r"^(?:(?:les\s+)?engagements\s+des\s+partenaires\b|charte\b|sommaire\b|pr[ée]ambule\b)",
    re.IGNORECASE,
)
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


@dataclass
class Line:
    number: int
    text: str
    heading: bool = False
    bullet: bool = False
    nested: bool = False


@dataclass
class DocumentAction:
    key: str
    number: int
    code: str
    title: str
    orientation_key: str


@dataclass
class DocumentOrientation:
    key: str
    number: int
    title: str
    actions: list[DocumentAction] = field(default_factory=list)


@dataclass
class DocumentPartner:
    name: str
    short_name: str
    kind: str
    raw_name: str


@dataclass
class DocumentCommitment:
    partner: int
    action_key: str
    text: str
    items: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def markdown(self) -> str:
        """The commitment and its sub-items as Markdown."""
        if not self.items:
            return self.text
        return self.text + "\n\n" + "\n".join(f"- {item}" for item in self.items)


@dataclass(frozen=True)
class Unplaced:
    line: int
    text: str
    reason: str


@dataclass
class ParsedDocument:
    title: str
    layout: str
    introduction: str
    orientations: list[DocumentOrientation]
    partners: list[DocumentPartner]
    commitments: list[DocumentCommitment]
    declarations: list
    lexicon: list[ParsedLexiconEntry]
    unplaced: list[Unplaced]

    @property
    def actions(self) -> list[DocumentAction]:
        return [action for orientation in self.orientations for action in orientation.actions]

    def commitments_of(self, partner_index: int) -> list[DocumentCommitment]:
        return [c for c in self.commitments if c.partner == partner_index]


def _roman(text: str) -> int:
    total, previous = 0, 0
    for char in reversed(text.upper()):
        value = ROMAN[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


def _number(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else _roman(text)


def normalise(text: str) -> str:
    """Repair OCR noise and Markdown escapes, keeping one line per paragraph or item."""
    text = text.replace("\r\n", "\n")
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~'\"$&%])", r"\1", text)
    text = repair_characters(text)
    text = re.sub(r"(?m)^\s*\|?\s*:?-{3,}.*$", "", text)
    return join_continuation_lines(join_hyphenated_words(text))


def _lines(text: str) -> list[Line]:
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        heading = bool(re.match(r"^\s*#{1,6}\s", raw))
        stripped = re.sub(r"^\s*#{1,6}\s+", "", raw).rstrip().rstrip("#").rstrip()
        bullet = BULLET_RE.match(stripped)
        if bullet and not (ORIENTATION_RE.match(bullet.group("text"))):
            indent = len(bullet.group("indent").replace("\t", "    "))
            lines.append(Line(number, bullet.group("text").strip(), False, True, indent >= 1))
        else:
            lines.append(Line(number, stripped.strip(), heading))
    return lines


def _heading_match(line: Line, pattern: re.Pattern[str]) -> re.Match[str] | None:
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


def _lexicon_entry(text: str) -> ParsedLexiconEntry | None:
    if text.startswith("|"):
        cells = [cell.strip() for cell in text.strip("|").split("|")]
        cells = [cell for cell in cells if cell]
        if len(cells) >= 2 and fold(cells[0]) not in ("sigle", "terme", "sigles"):
            return ParsedLexiconEntry(cells[0], " ".join(" ".join(cells[1:]).split()))
        return None
    if "\t" in text:
        term, _tab, definition = text.partition("\t")
        if term.strip() and definition.strip():
            return ParsedLexiconEntry(term.strip(), " ".join(definition.split()))
    match = re.match(r"^(?P<term>[^:=–—]{1,40}?)\s*(?::|=|–|—|\s-\s)\s*(?P<definition>\S.*)$", text)
    if match and len(match.group("term").split()) <= 5:
        return ParsedLexiconEntry(match.group("term").strip(), match.group("definition").strip())
    return None


def _clean_partner_heading(text: str) -> str:
    text = text.strip().rstrip(":").strip()
    for pattern in (PARTNER_PREFIX_RE, ENGAGES_RE):
        match = pattern.match(text)
        if match:
            return match.group("name").strip().rstrip(":").strip()
    return text


def _explicit_partner(text: str) -> bool:
    return bool(PARTNER_PREFIX_RE.match(text) and not GENERIC_HEADINGS.match(text)) or bool(
        ENGAGES_RE.match(text)
    )


class _Reader:
    def __init__(self, lines: list[Line], partner_first: bool):
        self.lines = lines
        self.partner_first = partner_first
        self.orientations: dict[str, DocumentOrientation] = {}
        self.actions: dict[str, DocumentAction] = {}
        self.action_titles: dict[str, Counter] = {}
        self.partner_raw: list[str] = []
        self.partner_index: dict[str, int] = {}
        self.commitments: list[DocumentCommitment] = []
        self.declarations: list[tuple[int, list[str]]] = []
        self.lexicon: list[ParsedLexiconEntry] = []
        self.unplaced: list[Unplaced] = []
        self.introduction: list[str] = []
        self.orientation: str | None = None
        self.action: str | None = None
        self.partner: int | None = None
        self.mode = "text"
        self.started = False
        self.pending_title: str | None = None

    def next_line(self, index: int) -> Line | None:
        return self.lines[index + 1] if index + 1 < len(self.lines) else None

    def is_partner_heading(self, index: int, line: Line) -> bool:
        if line.bullet or len(line.text.split()) > 20 or GENERIC_HEADINGS.match(line.text):
            return False
        if _explicit_partner(line.text):
            return True
        following = self.next_line(index)
        if following is None:
            return False
        if self.partner_first:
            # A sentence ("Entrée en vigueur : 14 décembre 2017.") is not an organisation's name.
            return (
                bool(
                    _heading_match(following, ORIENTATION_RE)
                    or _heading_match(following, ACTION_RE)
                )
                and not ANNEX_RE.match(line.text)
                and not line.text.endswith((".", ";", "?", "!"))
            )
        if self.action is None:
            return False
        if line.heading:
            return True
        return following.bullet and not line.text.endswith((".", ";", "?", "!"))

    def set_partner(self, raw: str) -> None:
        raw = _clean_partner_heading(raw)
        key = fold(raw)
        if key not in self.partner_index:
            self.partner_index[key] = len(self.partner_raw)
            self.partner_raw.append(raw)
        self.partner = self.partner_index[key]
        self.mode = "text"
        self.started = True

    def start_orientation(self, match: re.Match[str]) -> None:
        number = _number(match.group("number"))
        title = (match.group("title") or "").strip()
        key = str(number) if number is not None else fold(title)
        if key not in self.orientations:
            number = number if number is not None else len(self.orientations) + 1
            self.orientations[key] = DocumentOrientation(key, number, title)
        elif not self.orientations[key].title and title:
            self.orientations[key].title = title
        self.orientation, self.action, self.mode, self.started = key, None, "text", True
        self.pending_title = key if not self.orientations[key].title else None
        if not self.partner_first:
            self.partner = None

    def start_action(self, match: re.Match[str], line: Line) -> None:
        raw_number = re.sub(r"\s+", "", match.group("number") or "").replace(".", "-")
        title = match.group("title").strip()
        key = raw_number or fold(title)
        self.action_titles.setdefault(key, Counter())[title] += 1
        if key not in self.actions:
            if self.orientation is None:
                self.orientation = "1"
                self.orientations.setdefault("1", DocumentOrientation("1", 1, "Actions"))
                self.unplaced.append(
                    Unplaced(line.number, line.text, "action sans orientation : rangée dans « 1 »")
                )
            if raw_number:
                number = int(raw_number.split("-")[-1])
                code = raw_number
            else:
                number = len(self.actions) + 1
                code = str(number)
            action = DocumentAction(key, number, code, title, self.orientation)
            self.actions[key] = action
            self.orientations[self.orientation].actions.append(action)
        self.action, self.mode, self.started = key, "text", True
        if not self.partner_first:
            self.partner = None

    def add_commitment(self, line: Line) -> None:
        if line.nested and self.commitments and self.commitments[-1].line and self.mode == "items":
            self.commitments[-1].items.append(line.text)
            return
        if self.partner is None or self.action is None:
            reason = "engagement sans partenaire" if self.action else "engagement sans action"
            self.unplaced.append(Unplaced(line.number, line.text, reason))
            return
        self.commitments.append(
            DocumentCommitment(self.partner, self.action, line.text, line=line.number)
        )
        self.mode = "items"

    def read(self) -> None:
        for index, line in enumerate(self.lines):
            text = line.text
            if ANNEX_RE.match(text):
                self.mode = "text" if self.mode != "lexicon" else "lexicon"
                continue
            if not line.bullet and LEXICON_RE.match(text) and len(text.split()) <= 6:
                self.mode = "lexicon"
                continue
            if self.mode == "lexicon":
                if line.heading and not text.startswith("|"):
                    self.mode = "text"
                else:
                    if text.startswith("|") and LEXICON_HEADER_RE.match(
                        fold(text.strip("| ").split("|")[0])
                    ):
                        continue
                    entry = _lexicon_entry(text)
                    if entry:
                        self.lexicon.append(entry)
                        continue
                    if self.lexicon:
                        self.mode = "after_lexicon"
                    else:
                        self.unplaced.append(Unplaced(line.number, text, "ligne du lexique"))
                        continue
            if self.mode == "after_lexicon":
                self.unplaced.append(Unplaced(line.number, text, "texte après le lexique"))
                continue
            orientation = _heading_match(line, ORIENTATION_RE)
            if orientation:
                self.start_orientation(orientation)
                continue
            pending, self.pending_title = self.pending_title, None
            if pending and not line.bullet and not _heading_match(line, ACTION_RE):
                self.orientations[pending].title = text
                continue
            action = _heading_match(line, ACTION_RE)
            if action and (self.orientation is not None or self.started or self.partner_first):
                self.start_action(action, line)
                continue
            if self.mode == "declaration" and not self.is_partner_heading(index, line):
                block = self.declarations[-1][1]
                if line.bullet and not block[-1].startswith("- "):
                    block.append("")
                block.append(("- " if line.bullet else "") + text)
                continue
            if not line.bullet and DECLARATION_RE.match(text) and self.partner is not None:
                self.mode = "declaration"
                self.declarations.append((self.partner, [text]))
                continue
            if self.is_partner_heading(index, line):
                self.set_partner(text)
                continue
            if line.bullet:
                self.add_commitment(line)
                continue
            if not self.started:
                if not GENERIC_HEADINGS.match(text) or self.introduction:
                    self.introduction.append(text)
                continue
            if line.heading and self.partner_first:
                # Another section ("Déclarations des signataires", "Signatures"…) ends the
                # engagements: what follows belongs to no partner's action.
                self.partner = self.action = None
                self.unplaced.append(Unplaced(line.number, text, "titre hors engagements"))
                continue
            if self.partner is not None and self.action is not None:
                self.add_commitment(line)
                continue
            self.unplaced.append(Unplaced(line.number, text, "texte hors engagement"))


def _find_title(text: str) -> str:
    for line in text.split("\n"):
        stripped = re.sub(r"^#+\s*", "", line).strip()
        if re.match(r"^charte\s", stripped, re.IGNORECASE) and not stripped.endswith((".", ":")):
            return stripped
    mention = re.search(r"\b(Charte [^.,;:\n]*?expulsions? locatives?)", text)
    return mention.group(1) if mention else ""


def _is_partner_first(lines: list[Line]) -> bool:
    orientation_keys: Counter = Counter()
    action_keys: Counter = Counter()
    for line in lines:
        if match := _heading_match(line, ORIENTATION_RE):
            orientation_keys[match.group("number") or fold(match.group("title") or "")] += 1
        elif match := _heading_match(line, ACTION_RE):
            action_keys[match.group("number") or fold(match.group("title"))] += 1
    repeated = [*orientation_keys.values(), *action_keys.values()]
    return bool(repeated) and max(repeated) > 1


def parse_document(text: str) -> ParsedDocument:
    """Parse a charter document's text (Markdown or plain, possibly OCR'd)."""
    document = normalise(text)
    lines = _lines(document)
    partner_first = _is_partner_first(lines)
    reader = _Reader(lines, partner_first)
    reader.read()
    lexicon = _unique_lexicon(reader.lexicon)
    keep_upper = upper_case_tokens(document)
    partners = []
    for raw in reader.partner_raw:
        name, short_name = partner_names(raw, tuple(lexicon), document)
        partners.append(DocumentPartner(name, short_name, partner_kind(name), raw))
    for orientation in reader.orientations.values():
        if orientation.title and orientation.title == orientation.title.upper():
            orientation.title = sentence_case(orientation.title, keep_upper)
        if not orientation.title:
            orientation.title = f"Orientation {orientation.number}"
    for key, action in reader.actions.items():
        action.title = reader.action_titles[key].most_common(1)[0][0]
    declarations = []
    for partner, lines_ in reader.declarations:
        parsed = parse_declaration(partners[partner].short_name, lines_)
        if parsed is None:
            reader.unplaced.append(Unplaced(0, lines_[0], "déclaration sans lieu ni date"))
        else:
            declarations.append(parsed)
    orientations = sorted(reader.orientations.values(), key=lambda o: o.number)
    return ParsedDocument(
        title=_find_title(document),
        layout="partenaires d'abord" if partner_first else "orientations d'abord",
        introduction="\n\n".join(reader.introduction),
        orientations=orientations,
        partners=partners,
        commitments=reader.commitments,
        declarations=declarations,
        lexicon=lexicon,
        unplaced=reader.unplaced,
    )


def _unique_lexicon(entries: list[ParsedLexiconEntry]) -> list[ParsedLexiconEntry]:
    seen: set[str] = set()
    unique = []
    for entry in entries:
        if entry.term.casefold() not in seen:
            seen.add(entry.term.casefold())
            unique.append(entry)
    return unique
