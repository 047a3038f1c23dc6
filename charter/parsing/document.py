"""The one charter document reader: partner-first or orientation-first layouts.

It finds orientations, actions (numbered or not), partners, their commitments, signed
declarations and the lexicon, and keeps every line it could not place. The text is first
repaired with the generic OCR rules of ``charter.parsing.cleanup``. Both the demo loader (the
Paris seed, plain OCR text) and the charter importer (any département's document, as text or
pandoc Markdown) read with it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from charter.parsing.cleanup import (
    fold,
    join_continuation_lines,
    join_hyphenated_words,
    repair_characters,
    sentence_case,
)
from charter.parsing.sections import (
    find_title,
    parse_declaration,
    partner_kind,
    partner_names,
    upper_case_tokens,
)
from charter.parsing.types import (
    DocumentAction,
    DocumentCommitment,
    DocumentOrientation,
    DocumentPartner,
    ParsedDocument,
    ParsedLexiconEntry,
    Unplaced,
)

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
    """One non-blank line: its number in the text, its text, and what it looks like."""

    number: int
    text: str
    heading: bool = False
    bullet: bool = False
    nested: bool = False


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
        # Every heading's variant of each orientation title (the most frequent one wins).
        self.orientation_titles: dict[str, list[str]] = {}
        # An all-caps orientation title, or a bullet, that the next adjacent line may continue.
        self.open_title: tuple[int, str] | None = None
        self.open_item: tuple[int, DocumentCommitment, int | None] | None = None

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

    def start_orientation(self, match: re.Match[str], line: Line) -> None:
        number = _number(match.group("number"))
        title = (match.group("title") or "").strip()
        key = str(number) if number is not None else fold(title)
        if key not in self.orientations:
            number = number if number is not None else len(self.orientations) + 1
            self.orientations[key] = DocumentOrientation(key, number, "")
        self.orientation_titles.setdefault(key, []).append(title)
        self.orientation, self.action, self.mode, self.started = key, None, "text", True
        self.pending_title = key if not title else None
        self.open_title = (line.number, key) if title and title.isupper() else None
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
            self.open_item = (
                line.number,
                self.commitments[-1],
                len(self.commitments[-1].items) - 1,
            )
            return
        if self.partner is None or self.action is None:
            reason = "engagement sans partenaire" if self.action else "engagement sans action"
            self.unplaced.append(Unplaced(line.number, line.text, reason))
            return
        self.commitments.append(
            DocumentCommitment(self.partner, self.action, line.text, line=line.number)
        )
        self.mode = "items"
        if line.bullet:
            self.open_item = (line.number, self.commitments[-1], None)

    def continues(self, index: int, line: Line, opened: tuple | None, *, title: bool) -> bool:
        """Tell whether a plain line right below an open title or bullet (no blank line) is its
        continuation: an all-caps line for an all-caps title, any other text for a bullet."""
        if opened is None or line.number != opened[0] + 1 or line.bullet or line.heading:
            return False
        if any(
            pattern.match(line.text) for pattern in (ANNEX_RE, LEXICON_RE, DECLARATION_RE)
        ) or any(_heading_match(line, pattern) for pattern in (ORIENTATION_RE, ACTION_RE)):
            return False
        if title:
            return line.text.isupper()
        return not self.is_partner_heading(index, line)

    def read_continuation(self, index: int, line: Line) -> bool:
        """Append a continuation line to the open title or bullet; tell whether it was one."""
        title, self.open_title = self.open_title, None
        item, self.open_item = self.open_item, None
        if self.continues(index, line, title, title=True) and title is not None:
            self.orientation_titles[title[1]][-1] += " " + line.text
            self.open_title = (line.number, title[1])
            return True
        if self.continues(index, line, item, title=False) and item is not None:
            _number, commitment, position = item
            if position is None:
                commitment.text += " " + line.text
            else:
                commitment.items[position] += " " + line.text
            self.open_item = (line.number, commitment, position)
            return True
        return False

    def read(self) -> None:
        for index, line in enumerate(self.lines):
            text = line.text
            if self.read_continuation(index, line):
                continue
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
                self.start_orientation(orientation, line)
                continue
            pending, self.pending_title = self.pending_title, None
            if pending and not line.bullet and not _heading_match(line, ACTION_RE):
                self.orientation_titles[pending][-1] = text
                self.open_title = (line.number, pending) if text.isupper() else None
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


def _is_partner_first(lines: list[Line]) -> bool:
    orientation_keys: Counter = Counter()
    action_keys: Counter = Counter()
    for line in lines:
        if match := _heading_match(line, ORIENTATION_RE):
            orientation_keys[match.group("number") or fold(match.group("title") or "")] += 1
        elif match := _heading_match(line, ACTION_RE):
            action_keys[match.group("number") or fold(match.group("title"))] += 1
    repeated = [*orientation_keys.values(), *action_keys.values()]
    if repeated and max(repeated) > 1:
        return True
    # One partner only: its name stands right above the first orientation heading.
    first = next((i for i, line in enumerate(lines) if _heading_match(line, ORIENTATION_RE)), 0)
    return first > 0 and _names_a_partner(lines[first - 1])


def _names_a_partner(line: Line) -> bool:
    """Tell whether a plain line reads as an organisation's name (not a sentence, not a title)."""
    text = line.text
    return not (
        line.heading
        or line.bullet
        or len(text.split()) > 20
        or text.endswith((".", ";", "?", "!", ":"))
        or not text[:1].isupper()
        or any(pattern.match(text) for pattern in (GENERIC_HEADINGS, ANNEX_RE, LEXICON_RE))
        or _heading_match(line, ACTION_RE)
    )


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
    for key, orientation in reader.orientations.items():
        titles = Counter(title for title in reader.orientation_titles[key] if title)
        orientation.title = titles.most_common(1)[0][0] if titles else ""
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
        title=find_title(document),
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
