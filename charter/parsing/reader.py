"""The charter reader's walk through a document's lines (`Reader.read`), section by section."""

from __future__ import annotations

import re
from collections import Counter

from charter.parsing.cleanup import fold
from charter.parsing.headings import (
    ANNEX_RE,
    DECLARATION_RE,
    ENGAGES_SENTENCE_RE,
    GENERIC_HEADINGS,
    IMPLICIT_ACTION_TITLE,
    LEXICON_HEADER_RE,
    LEXICON_RE,
    heading_match,
    lexicon_entry,
    number,
)
from charter.parsing.lines import ACTION_RE, ORIENTATION_RE, Line, garbled
from charter.parsing.partners import PartnerHeadings
from charter.parsing.sections import (
    find_title,
)
from charter.parsing.signatures_page import SignaturesPage
from charter.parsing.structure import (
    DATES_RE,
    DECLARATION_NAME_RE,
    DECLARATIONS_RE,
    ENGAGEMENTS_ANNEX_RE,
    FURNITURE_SECTION_RE,
    GENERAL_RE,
    INDICATORS_RE,
    PREAMBLE_RE,
    SHARED_HEADING_RE,
    SIGNATURES_RE,
    STRUCTURE_RE,
    annex_title,
    heading_like,
    is_stage_heading,
)
from charter.parsing.types import (
    DocumentAction,
    DocumentCommitment,
    DocumentOrientation,
    DocumentSignatory,
    ParsedLexiconEntry,
    Unplaced,
)


class Reader(PartnerHeadings, SignaturesPage):
    """One reading of a document: the sections met so far and everything found."""

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
        ) or any(heading_match(line, pattern) for pattern in (ORIENTATION_RE, ACTION_RE)):
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

    def start_preamble(self) -> None:
        """A « Préambule » (or « Dispositions générales ») heading: what came before it was the
        cover (listed « À placer », but the title)."""
        self.preamble = True
        title = find_title("\n".join(cover.text for cover in self.cover))
        for cover in self.cover:
            if cover.text != title:
                self.unplace(cover, "page de garde")
        self.cover, self.introduction = [], []

    def read_structure(self, line: Line) -> bool:
        """Sections announced by a heading: préambule, signatories, declarations, annexes, shared
        commitments, chapters by stage. Tell whether the line was one."""
        text = line.text
        if line.bullet or not heading_like(text):
            return False
        if PREAMBLE_RE.match(text) and not self.started:
            self.start_preamble()
            self.mode = "text"
            return True
        if GENERAL_RE.match(text) and not self.started:
            if not self.preamble:
                self.start_preamble()
            self.mode = "general"
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

    def read_lexicon(self, line: Line) -> bool:
        """In the lexicon: add an entry; tell whether the line was read."""
        text = line.text
        if (line.heading and not text.startswith("|")) or self.is_structure(line):
            self.mode = "text"
            return False
        first_cell = text.strip("| ").split("|")[0].split("\t")[0]
        if (text.startswith("|") or "\t" in text) and LEXICON_HEADER_RE.match(fold(first_cell)):
            return True
        entry = lexicon_entry(text)
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
            orientation = heading_match(line, ORIENTATION_RE)
            if orientation:
                title = (orientation.group("title") or "").strip()
                self.open_orientation(number(orientation.group("number")), title, line)
                continue
            pending, self.pending_title = self.pending_title, None
            if pending and not line.bullet and not heading_match(line, ACTION_RE):
                self.orientation_titles[pending][-1] = text
                self.open_title = (line.number, pending) if text.isupper() else None
                continue
            action = heading_match(line, ACTION_RE)
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
        if self.mode == "general":
            self.unplace(
                line, "dispositions générales : à reporter dans les propriétés de la charte"
            )
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
