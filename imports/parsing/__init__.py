"""Reading a charter document of any département (pure Python, no Django)."""

from imports.parsing.convert import document_text
from imports.parsing.document import (
    DocumentAction,
    DocumentCommitment,
    DocumentOrientation,
    DocumentPartner,
    ParsedDocument,
    Unplaced,
    parse_document,
)

__all__ = [
    "DocumentAction",
    "DocumentCommitment",
    "DocumentOrientation",
    "DocumentPartner",
    "ParsedDocument",
    "Unplaced",
    "document_text",
    "parse_document",
]
