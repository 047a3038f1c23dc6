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

from charter.parsing.cleanup import fold, sentence_case
from charter.parsing.lines import ACTION_RE, BULLET_RE, ORIENTATION_RE, Line, garbled, read_lines
from charter.parsing.matching import match_partner
from charter.parsing.sections import (
    find_title,
    parse_declaration,
    partner_kind,
    partner_names,
    strip_article,
    upper_case_tokens,
)
from charter.parsing.structure import (
    COPILOT_RE,
    DATES_RE,
    DECLARATION_NAME_RE,
    DECLARATIONS_RE,
    ENGAGEMENTS_ANNEX_RE,
    FURNITURE_SECTION_RE,
    INDICATORS_RE,
    ORGANISATION_WITH_ACRONYM_RE,
    PREAMBLE_RE,
    SHARED_HEADING_RE,
    SIGNATORY_FOR_RE,
    SIGNATURE_FURNITURE_RE,
    SIGNATURES_RE,
    STRUCTURE_RE,
    all_signatories,
    annex_title,
    heading_like,
    is_stage_heading,
    joint_names,
)
from charter.parsing.types import (
    DocumentAction,
    DocumentCommitment,
    DocumentOrientation,
    DocumentPartner,
    DocumentSignatory,
    ParsedDocument,
    ParsedLexiconEntry,
    Unplaced,
)

__all__ = ["ACTION_RE", "BULLET_RE", "ORIENTATION_RE", "parse_document"]

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
        if LEXICON_HEADER_RE.match(fold(term)):
            return None
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
    if STRUCTURE_RE.match(text) or SHARED_HEADING_RE.match(text):
        return False
    return bool(PARTNER_PREFIX_RE.match(text) and not GENERIC_HEADINGS.match(text)) or bool(
        ENGAGES_RE.match(text)
    )


def _partner_key(raw: str) -> str:
    """A partner's heading without its article and its « (SIGLE) », folded."""
    base = ORGANISATION_WITH_ACRONYM_RE.match(raw)
    name = base.group("name") if base else raw
    return fold(re.sub(r"^(?:la|le|les|l')\s*", "", fold(name)))


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
        self.shared: list[DocumentCommitment] = []
        self.last: DocumentCommitment | None = None
        self.declarations: list[tuple[int | None, str, int, list[str]]] = []
        self.signatories: list[DocumentSignatory] = []
        # Partners named « Nom (Sigle) » on the signatories page: the platform's own export.
        self.signed_names: set[int] = set()
        self.lexicon: list[ParsedLexiconEntry] = []
        self.unplaced: list[Unplaced] = []
        self.introduction: list[str] = []
        self.cover: list[Line] = []
        self.orientation: str | None = None
        self.action: str | None = None
        self.partner: int | None = None
        # Owners of shared commitments: "all" (every signatory) or the partners' indexes.
        self.owners: str | tuple[int, ...] | None = None
        self.mode = "text"
        self.annex = ""
        self.started = False
        self.preamble = False
        self.pending_title: str | None = None
        # Every heading's variant of each orientation title (the most frequent one wins).
        self.orientation_titles: dict[str, list[str]] = {}
        # An all-caps orientation title, or a bullet, that the next adjacent line may continue.
        self.open_title: tuple[int, str] | None = None
        self.open_item: tuple[int, DocumentCommitment, int | None] | None = None

    def next_line(self, index: int) -> Line | None:
        return self.lines[index + 1] if index + 1 < len(self.lines) else None

    def unplace(self, line: Line, reason: str) -> None:
        self.unplaced.append(Unplaced(line.number, line.text, reason))

    def is_partner_heading(self, index: int, line: Line) -> bool:
        if line.bullet or len(line.text.split()) > 20 or GENERIC_HEADINGS.match(line.text):
            return False
        if STRUCTURE_RE.match(line.text) or SHARED_HEADING_RE.match(line.text):
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
        if self.action is None and self.orientation is None:
            return False
        if line.heading:
            return True
        if line.text.endswith(":") and len(line.text.split()) <= 12:
            return not following.heading
        return following.bullet and not line.text.endswith((".", ";", "?", "!", ":"))

    def add_partner(self, raw: str) -> int:
        """The index of the partner a heading names: « La CAF » after « Caisse d'allocations
        familiales (CAF) » (or before it) is the same partner."""
        raw = _clean_partner_heading(raw)
        raw = raw[:1].upper() + raw[1:]
        key = _partner_key(raw)
        acronym = ORGANISATION_WITH_ACRONYM_RE.match(raw)
        short_key = _partner_key(acronym.group("short")) if acronym else None
        index = self.partner_index.get(key)
        if index is None and short_key is not None:
            index = self.partner_index.get(short_key)
        if index is None:
            index = len(self.partner_raw)
            self.partner_raw.append(raw)
        self.partner_index.setdefault(key, index)
        if short_key is not None:
            self.partner_index.setdefault(short_key, index)
            if not ORGANISATION_WITH_ACRONYM_RE.match(self.partner_raw[index]):
                self.partner_raw[index] = raw  # the heading that also gives the short name
        return index

    def set_partner(self, raw: str) -> None:
        names = joint_names(_clean_partner_heading(raw))
        if all_signatories(_clean_partner_heading(raw)):
            self.set_owners("all")
            return
        if len(names) > 1 and re.search(r"s'engagent", raw):
            self.set_owners(tuple(self.add_partner(name) for name in names))
            return
        self.partner = self.add_partner(raw)
        self.owners = None
        self.mode = "text"
        self.started = True

    def set_owners(self, owners: str | tuple[int, ...]) -> None:
        self.owners, self.partner, self.mode, self.started = owners, None, "text", True

    def open_orientation(self, number: int | None, title: str, line: Line) -> None:
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
            self.owners = None

    def start_action(self, match: re.Match[str], line: Line) -> None:
        raw_number = re.sub(r"\s+", "", match.group("number") or "").replace(".", "-")
        title = match.group("title").strip()
        key = raw_number or fold(title)
        self.action_titles.setdefault(key, Counter())[title] += 1
        if key not in self.actions:
            if self.orientation is None:
                self.orientation = "1"
                self.orientations.setdefault("1", DocumentOrientation("1", 1, "Actions"))
                self.orientation_titles.setdefault("1", [])
                self.unplace(line, "action sans orientation : rangée dans « 1 »")
            if raw_number:
                number = int(raw_number.split("-")[-1])
                code = raw_number
            else:
                number = len(self.actions) + 1
                code = str(number)
            self.new_action(key, number, code, title)
        self.action, self.mode, self.started = key, "text", True
        if not self.partner_first:
            self.partner = None
            self.owners = None

    def new_action(self, key: str, number: int, code: str, title: str) -> None:
        action = DocumentAction(key, number, code, title, self.orientation or "")
        self.actions[key] = action
        self.action_titles.setdefault(key, Counter())[title] += 1
        self.orientations[self.orientation or ""].actions.append(action)

    def implicit_action(self) -> None:
        """An axe (or a partner's section) without actions: one action holds its commitments."""
        if self.orientation is None:
            key = fold(IMPLICIT_ACTION_TITLE)
            self.orientations.setdefault(
                key, DocumentOrientation(key, len(self.orientations) + 1, "")
            )
            self.orientation_titles.setdefault(key, []).append(IMPLICIT_ACTION_TITLE)
            self.orientation = key
        orientation = self.orientations[self.orientation]
        key = f"{self.orientation}:engagements"
        if key not in self.actions:
            number = len(orientation.actions) + 1
            self.new_action(key, number, f"{orientation.number}-{number}", IMPLICIT_ACTION_TITLE)
        self.action = key

    def add_commitment(self, line: Line, text: str | None = None) -> None:
        text = text or line.text
        last = self.last
        if line.nested and last is not None and last.line and self.mode == "items":
            last.items.append(text)
            self.open_item = (line.number, last, len(last.items) - 1)
            return
        if self.owners is None and self.partner is None:
            reason = "engagement sans partenaire" if self.action else "engagement sans action"
            self.unplace(line, reason)
            return
        if self.action is None and (self.orientation is not None or self.partner is not None):
            self.implicit_action()
        if self.owners is not None:
            owners = () if self.owners == "all" else self.owners
            commitment = DocumentCommitment(
                owners[0] if owners else -1,
                self.action or "",
                text,
                line=line.number,
                partners=owners,
                all_signatories=self.owners == "all",
            )
            self.shared.append(commitment)
        else:
            commitment = DocumentCommitment(self.partner, self.action or "", text, line=line.number)
            self.commitments.append(commitment)
        self.last = commitment
        self.mode = "items"
        if line.bullet:
            self.open_item = (line.number, commitment, None)

    def continues(self, index: int, line: Line, opened: tuple | None, *, title: bool) -> bool:
        """Tell whether a plain line right below an open title or bullet (no blank line) is its
        continuation: an all-caps line for an all-caps title, any other text for a bullet."""
        if opened is None or line.number != opened[0] + 1 or line.bullet or line.heading:
            return False
        if any(
            pattern.match(line.text) for pattern in (ANNEX_RE, LEXICON_RE, DECLARATION_RE)
        ) or any(_heading_match(line, pattern) for pattern in (ORIENTATION_RE, ACTION_RE)):
            return False
        if self.is_structure(line):
            return False
        if title:
            return line.text.isupper()
        return not self.is_partner_heading(index, line) and not ENGAGES_SENTENCE_RE.match(line.text)

    def is_structure(self, line: Line) -> bool:
        text = line.text
        return bool(
            PREAMBLE_RE.match(text)
            or SIGNATURES_RE.match(text)
            or DECLARATIONS_RE.match(text)
            or FURNITURE_SECTION_RE.match(text)
            or SHARED_HEADING_RE.match(text)
            or annex_title(text)
            or (line.heading and is_stage_heading(text))
        )

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

    def read_structure(self, line: Line) -> bool:
        """Sections announced by a heading: préambule, signatories, declarations, annexes, shared
        commitments, chapters by stage. Tell whether the line was one."""
        text = line.text
        if line.bullet or not heading_like(text):
            return False
        if PREAMBLE_RE.match(text) and not self.started:
            self.preamble = True
            title = find_title("\n".join(cover.text for cover in self.cover))
            for cover in self.cover:
                if cover.text != title:
                    self.unplace(cover, "page de garde")
            self.cover, self.introduction = [], []
            return True
        if FURNITURE_SECTION_RE.match(text):
            self.mode = "skip"
            return True
        if SIGNATURES_RE.match(text):
            self.mode, self.partner, self.owners = "signatures", None, None
            self.started = True
            return True
        if DECLARATIONS_RE.match(text):
            self.mode, self.partner, self.owners = "declarations", None, None
            self.started = True
            return True
        if SHARED_HEADING_RE.match(text):
            self.set_owners("all")
            if not self.partner_first:
                self.action = None
            return True
        title = annex_title(text)
        if title is not None and not LEXICON_RE.match(title):
            if ENGAGEMENTS_ANNEX_RE.match(title):
                self.mode, self.started = "text", True
            else:
                self.mode, self.annex = "annex", title
                self.partner = self.owners = None
            return True
        if STRUCTURE_RE.match(text) and (line.heading or self.started):
            self.started = True
            self.mode = "text"
            return True
        if is_stage_heading(text) and (line.heading or line.numbered or not line.bullet):
            number = None
            self.open_orientation(number, text, line)
            return True
        return False

    def read_signatures(self, line: Line) -> None:
        # A PDF's signature table: the box's « Signature et cachet » beside the organisation.
        text = re.sub(r"\bsignature et cachet\b", " ", line.text, flags=re.IGNORECASE)
        text = " ".join(text.split())
        if not text:
            return
        short = re.match(r"^\((?P<short>[^()]{2,40})\)$", text)
        if short and self.signatories:
            # « Pour Département de Testville » wrapped before its « (Département) ».
            index = self.signatories[-1].partner
            raw = self.partner_raw[index]
            if not ORGANISATION_WITH_ACRONYM_RE.match(raw):
                self.partner_raw[index] = f"{raw} ({short.group('short')})"
                self.partner_index.setdefault(_partner_key(short.group("short")), index)
                self.signed_names.add(index)
                return
        self.read_signature_cell(line, text)

    def read_signature_cell(self, line: Line, text: str) -> None:
        if SIGNATURE_FURNITURE_RE.match(text):
            return
        if COPILOT_RE.match(text):
            if self.signatories:
                last = self.signatories[-1]
                self.signatories[-1] = DocumentSignatory(last.partner, True, last.line)
            return
        match = SIGNATORY_FOR_RE.match(text)
        known = {_partner_key(raw) for raw in self.partner_raw}
        if match or ORGANISATION_WITH_ACRONYM_RE.match(text) or _partner_key(text) in known:
            name = match.group("name") if match else text
            index = self.add_partner(name[:1].upper() + name[1:])
            if ORGANISATION_WITH_ACRONYM_RE.match(name):
                self.signed_names.add(index)
            if all(s.partner != index for s in self.signatories):
                self.signatories.append(DocumentSignatory(index, False, line.number))
            return
        self.unplace(line, "page des signatures : nom ou qualité d'un signataire")

    def read_lexicon(self, line: Line) -> bool:
        """In the lexicon: add an entry; tell whether the line was read."""
        text = line.text
        if (line.heading and not text.startswith("|")) or self.is_structure(line):
            self.mode = "text"
            return False
        first_cell = text.strip("| ").split("|")[0].split("\t")[0]
        if (text.startswith("|") or "\t" in text) and LEXICON_HEADER_RE.match(fold(first_cell)):
            return True
        entry = _lexicon_entry(text)
        if entry:
            self.lexicon.append(entry)
            return True
        if self.lexicon:
            self.mode = "after_lexicon"
            return False
        self.unplace(line, "ligne du lexique")
        return True

    def read_declaration_heading(self, line: Line) -> bool:
        if line.bullet or not DECLARATION_RE.match(line.text):
            return False
        if self.partner is None and self.mode != "declarations":
            return False
        named = DECLARATION_NAME_RE.match(line.text)
        self.declarations.append(
            (self.partner, named.group("name") if named else "", line.number, [line.text])
        )
        self.mode = "declaration"
        return True

    def read(self) -> None:
        for index, line in enumerate(self.lines):
            text = line.text
            if self.read_continuation(index, line):
                continue
            if not self.started and garbled(text):
                self.unplace(line, "texte illisible (page de garde numérisée ?)")
                continue
            if self.mode == "skip":
                if not (line.heading and self.is_structure(line)):
                    continue
                self.mode = "text"
            if ANNEX_RE.match(text):
                self.mode = "text" if self.mode != "lexicon" else "lexicon"
                continue
            if not line.bullet and LEXICON_RE.match(text) and len(text.split()) <= 6:
                self.mode = "lexicon"
                continue
            if self.mode == "lexicon" and self.read_lexicon(line):
                continue
            if self.mode == "after_lexicon" and not self.is_structure(line):
                self.unplace(line, "texte après le lexique")
                continue
            if self.read_structure(line):
                continue
            if self.mode == "annex":
                self.unplace(line, self.annex_reason())
                continue
            if self.mode == "signatures":
                self.read_signatures(line)
                continue
            orientation = _heading_match(line, ORIENTATION_RE)
            if orientation:
                title = (orientation.group("title") or "").strip()
                self.open_orientation(_number(orientation.group("number")), title, line)
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
            if self.read_declaration_heading(line):
                continue
            if self.mode == "declaration" and not self.is_partner_heading(index, line):
                block = self.declarations[-1][3]
                if line.bullet and not block[-1].startswith("- "):
                    block.append("")
                block.append(("- " if line.bullet else "") + (line.raw or text))
                continue
            if self.mode == "declarations":
                self.unplace(line, "texte hors déclaration")
                continue
            if self.is_partner_heading(index, line):
                self.set_partner(text)
                continue
            sentence = ENGAGES_SENTENCE_RE.match(text)
            if sentence and not line.bullet and (self.started or self.orientation is not None):
                plural = " s'engagent" if re.search(r"s'engagent", text) else " s'engage"
                self.set_partner(sentence.group("name") + plural)
                rest = sentence.group("text")
                self.add_commitment(line, rest[:1].upper() + rest[1:])
                continue
            if line.bullet:
                self.add_commitment(line)
                continue
            if not self.started:
                self.read_preamble(line)
                continue
            if line.heading and self.partner_first:
                # Another section ("Déclarations des signataires", "Signatures"…) ends the
                # engagements: what follows belongs to no partner's action.
                self.partner = self.action = None
                self.owners = None
                self.unplace(line, "titre hors engagements")
                continue
            if (self.partner is not None or self.owners is not None) and (
                self.action is not None or self.orientation is not None or not self.partner_first
            ):
                self.add_commitment(line)
                continue
            self.unplace(line, "texte hors engagement")

    def read_preamble(self, line: Line) -> None:
        text = line.text
        if not self.preamble:
            self.cover.append(line)
            return
        if DATES_RE.match(text):
            self.unplace(line, "dates de la charte : à reporter dans ses propriétés")
            return
        self.introduction.append(line.raw or text)

    def annex_reason(self) -> str:
        if INDICATORS_RE.search(self.annex):
            return f"annexe « {self.annex} » : des indicateurs, pas des engagements"
        return f"annexe « {self.annex} »"

    def finish_cover(self, title: str) -> None:
        """Without a « Préambule » heading, the text before the first section is the préambule,
        except the title and the cover's garbled or furniture lines."""
        if self.preamble:
            return
        for line in self.cover:
            if not self.introduction and (GENERIC_HEADINGS.match(line.text) or line.text == title):
                continue
            if DATES_RE.match(line.text):
                self.unplace(line, "dates de la charte : à reporter dans ses propriétés")
                continue
            self.introduction.append(line.text)


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
        or PREAMBLE_RE.match(text)
        or STRUCTURE_RE.match(text)
    )


def parse_document(text: str) -> ParsedDocument:
    """Parse a charter document's text (Markdown or plain, possibly OCR'd, or a PDF's text)."""
    lines = read_lines(text)
    document = "\n".join(line.text for line in lines)
    partner_first = _is_partner_first(lines)
    reader = _Reader(lines, partner_first)
    reader.read()
    title = find_title(document)
    reader.finish_cover(title)
    lexicon = _unique_lexicon(reader.lexicon)
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
    for commitment in reader.shared:
        owners = (
            "tous les signataires"
            if commitment.all_signatories
            else ", ".join(partners[i].short_name for i in commitment.partners)
        )
        reader.unplaced.append(
            Unplaced(
                commitment.line,
                commitment.markdown,
                f"engagement partagé ({owners}) : à rattacher à chacun de ses partenaires",
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


def _unique_lexicon(entries: list[ParsedLexiconEntry]) -> list[ParsedLexiconEntry]:
    seen: set[str] = set()
    unique = []
    for entry in entries:
        if entry.term.casefold() not in seen:
            seen.add(entry.term.casefold())
            unique.append(entry)
    return unique
