"""Immutable value types produced by the charter text parsers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

PARTNER_KINDS = (
    "state",
    "local_authority",
    "social_body",
    "landlord",
    "justice",
    "association",
    "professional_federation",
    "other",
)

FICHE_FIELD_KEYS = (
    "constats",
    "pilots",
    "target_audience",
    "associated_partners",
    "objectives",
    "points_of_vigilance",
    "operating_procedures",
    "resources",
    "implementation_timeline",
    "evaluation_indicators",
    "legal_framework",
)


@dataclass(frozen=True)
class ParsedDeclaration:
    """A signed declaration appended by a partner to its commitments."""

    partner_short_name_or_name: str
    title: str
    text: str
    place: str
    date: datetime.date
    signer_name: str
    signer_role: str
    # How the heading's partner was recognised (« nom », « sigle « UNPI » »…), for the preview.
    match: str = ""


@dataclass(frozen=True)
class ParsedLexiconEntry:
    """One term of the lexicon and its definition."""

    term: str
    definition: str


@dataclass
class DocumentAction:
    """An action of a charter document; ``key`` is its number ("3-2") or its folded title."""

    key: str
    number: int
    code: str
    title: str
    orientation_key: str


@dataclass
class DocumentOrientation:
    """An orientation (or axe) of a charter document with its actions in document order."""

    key: str
    number: int
    title: str
    actions: list[DocumentAction] = field(default_factory=list)


@dataclass
class DocumentPartner:
    """A partner named by the document: its name, short name, kind and heading as written."""

    name: str
    short_name: str
    kind: str
    raw_name: str


@dataclass
class DocumentCommitment:
    """One commitment: its partner (index in ``partners``), action key, text and sub-items.

    A shared commitment (in ``ParsedDocument.shared_commitments``) is owned by every signatory
    (``all_signatories``) or by the partners of ``partners`` together; its ``partner`` is then
    the first of them (-1 for every signatory) and its ``action_key`` may be empty.
    """

    partner: int
    action_key: str
    text: str
    items: list[str] = field(default_factory=list)
    line: int = 0
    partners: tuple[int, ...] = ()
    all_signatories: bool = False

    @property
    def shared(self) -> bool:
        """Whether several partners (or every signatory) own this commitment together."""
        return self.all_signatories or len(self.partners) > 1

    @property
    def markdown(self) -> str:
        """The commitment and its sub-items as Markdown."""
        if not self.items:
            return self.text
        return self.text + "\n\n" + "\n".join(f"- {item}" for item in self.items)


@dataclass(frozen=True)
class Unplaced:
    """A line the reader could not place, with its line number and the reason in French.

    ``line`` is the line of the text read; ``where`` says where it is in the user's file
    (« ligne 12 », « paragraphe 40 » of a DOCX, « page 3, ligne 7 » of a PDF).
    """

    line: int
    text: str
    reason: str
    where: str = ""

    @property
    def place(self) -> str:
        """Where the line is in the user's file, in French."""
        return self.where or f"ligne {self.line}"


@dataclass(frozen=True)
class DocumentSignatory:
    """A partner named on the signatories page (index in ``partners``), co-pilot or not."""

    partner: int
    copilot: bool = False
    line: int = 0


@dataclass
class ParsedDocument:
    """Everything read from a charter document, and every line that could not be placed."""

    title: str
    layout: str
    introduction: str
    orientations: list[DocumentOrientation]
    partners: list[DocumentPartner]
    commitments: list[DocumentCommitment]
    declarations: list[ParsedDeclaration]
    lexicon: list[ParsedLexiconEntry]
    unplaced: list[Unplaced]
    shared_commitments: list[DocumentCommitment] = field(default_factory=list)
    signatories: list[DocumentSignatory] = field(default_factory=list)

    @property
    def actions(self) -> list[DocumentAction]:
        """Every action, orientation by orientation."""
        return [action for orientation in self.orientations for action in orientation.actions]

    def commitments_of(self, partner_index: int) -> list[DocumentCommitment]:
        """The commitments of one partner, in document order."""
        return [c for c in self.commitments if c.partner == partner_index]

    def partner(self, short_name_or_name: str) -> DocumentPartner:
        """Return the partner with this short name or name."""
        for partner in self.partners:
            if short_name_or_name in (partner.short_name, partner.name):
                return partner
        raise KeyError(short_name_or_name)


@dataclass(frozen=True)
class ParsedFiche:
    """One "fiche action" of a departmental plan."""

    code: str
    orientation_number: int
    orientation_title: str | None
    title: str
    tagline: str
    fields: tuple[tuple[str, str], ...]
    linked_codes: tuple[str, ...]

    def field(self, key: str) -> str:
        """Return the Markdown value of a canonical field key."""
        for field_key, value in self.fields:
            if field_key == key:
                return value
        if key in FICHE_FIELD_KEYS:
            return ""
        raise KeyError(key)

    def as_dict(self) -> dict[str, str]:
        """Return the fields as a new plain dictionary."""
        return dict(self.fields)


@dataclass(frozen=True)
class ParsedPlanAction:
    """An action announced by a plan orientation, e.g. code "3-1"."""

    code: str
    title: str


@dataclass(frozen=True)
class ParsedPlanOrientation:
    """One orientation of a departmental plan (PDALHPD)."""

    number: int
    title: str
    introduction: str
    stakes: tuple[str, ...]
    actions: tuple[ParsedPlanAction, ...]
