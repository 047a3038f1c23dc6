"""Turning an uploaded charter file into text (pandoc and pdftotext run here); `charter.parsing`
reads it."""

from imports.parsing.convert import (
    DocumentError,
    SourceDocument,
    charter_document,
    document_text,
    source_document,
)

__all__ = [
    "DocumentError",
    "SourceDocument",
    "charter_document",
    "document_text",
    "source_document",
]
