"""The one pure-Python package that reads charter documents (no Django imports).

`parse_document` reads a charter (the demo's Paris seed and every imported document);
`parse_fiche` and `parse_plan_orientation` read a departmental plan; `parse_corpus` classifies
and reads a directory of seed documents; `cleanup` holds the OCR repairs shared by all of them.
"""

from charter.parsing.cleanup import repair_characters, repair_text, sentence_case
from charter.parsing.corpus import ParsedCorpus, detect_document_kind, parse_corpus
from charter.parsing.document import parse_document
from charter.parsing.fiches import parse_fiche
from charter.parsing.plan import parse_plan_orientation
from charter.parsing.types import (
    FICHE_FIELD_KEYS,
    PARTNER_KINDS,
    DocumentAction,
    DocumentCommitment,
    DocumentOrientation,
    DocumentPartner,
    DocumentSignatory,
    ParsedDeclaration,
    ParsedDocument,
    ParsedFiche,
    ParsedLexiconEntry,
    ParsedPlanAction,
    ParsedPlanOrientation,
    Unplaced,
)

__all__ = [
    "FICHE_FIELD_KEYS",
    "PARTNER_KINDS",
    "DocumentAction",
    "DocumentCommitment",
    "DocumentOrientation",
    "DocumentPartner",
    "DocumentSignatory",
    "ParsedCorpus",
    "ParsedDeclaration",
    "ParsedDocument",
    "ParsedFiche",
    "ParsedLexiconEntry",
    "ParsedPlanAction",
    "ParsedPlanOrientation",
    "Unplaced",
    "detect_document_kind",
    "parse_corpus",
    "parse_document",
    "parse_fiche",
    "parse_plan_orientation",
    "repair_characters",
    "repair_text",
    "sentence_case",
]
