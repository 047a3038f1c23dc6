"""Pure-Python parsers for the charter demo documents (no Django imports)."""

from charter.parsing.annexes import parse_annexes
from charter.parsing.cleanup import repair_characters, repair_text, sentence_case
from charter.parsing.corpus import ParsedCorpus, detect_document_kind, parse_corpus
from charter.parsing.fiches import parse_fiche
from charter.parsing.plan import parse_plan_orientation
from charter.parsing.types import (
    FICHE_FIELD_KEYS,
    PARTNER_KINDS,
    ParsedAction,
    ParsedAnnexes,
    ParsedCommitmentBlock,
    ParsedDeclaration,
    ParsedFiche,
    ParsedLexiconEntry,
    ParsedOrientation,
    ParsedPartner,
    ParsedPlanAction,
    ParsedPlanOrientation,
)

__all__ = [
    "FICHE_FIELD_KEYS",
    "PARTNER_KINDS",
    "ParsedAction",
    "ParsedAnnexes",
    "ParsedCommitmentBlock",
    "ParsedCorpus",
    "ParsedDeclaration",
    "ParsedFiche",
    "ParsedLexiconEntry",
    "ParsedOrientation",
    "ParsedPartner",
    "ParsedPlanAction",
    "ParsedPlanOrientation",
    "detect_document_kind",
    "parse_annexes",
    "parse_corpus",
    "parse_fiche",
    "parse_plan_orientation",
    "repair_characters",
    "repair_text",
    "sentence_case",
]
