"""Immutable value types produced by the charter text parsers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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
class ParsedAction:
    """One numbered action of the charter."""

    number: int
    title: str


@dataclass(frozen=True)
class ParsedOrientation:
    """One numbered orientation of the charter with its actions."""

    number: int
    title: str
    actions: tuple[ParsedAction, ...]


@dataclass(frozen=True)
class ParsedCommitmentBlock:
    """The commitments one partner makes under one action."""

    orientation_number: int
    action_number: int
    commitments: tuple[str, ...]


@dataclass(frozen=True)
class ParsedPartner:
    """A signatory partner and its commitment blocks, in document order."""

    name: str
    short_name: str
    kind: str
    position: int
    blocks: tuple[ParsedCommitmentBlock, ...]

    @property
    def commitment_count(self) -> int:
        """Total number of commitments made by this partner."""
        return sum(len(block.commitments) for block in self.blocks)

    def commitments_for(self, action_number: int) -> tuple[str, ...]:
        """Commitments made under the given action number."""
        found: tuple[str, ...] = ()
        for block in self.blocks:
            if block.action_number == action_number:
                found += block.commitments
        return found


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


@dataclass(frozen=True)
class ParsedLexiconEntry:
    """One term of the lexicon and its definition."""

    term: str
    definition: str


@dataclass(frozen=True)
class ParsedAnnexes:
    """Everything extracted from the charter annexes document."""

    title: str
    orientations: tuple[ParsedOrientation, ...]
    partners: tuple[ParsedPartner, ...]
    declarations: tuple[ParsedDeclaration, ...]
    lexicon: tuple[ParsedLexiconEntry, ...]

    @property
    def commitment_count(self) -> int:
        """Total number of commitments over all partners."""
        return sum(partner.commitment_count for partner in self.partners)

    def partner(self, short_name_or_name: str) -> ParsedPartner:
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
