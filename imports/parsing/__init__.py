"""Turning an uploaded charter file into text (pandoc runs here); `charter.parsing` reads it."""

from imports.parsing.convert import DocumentError, document_text

__all__ = ["DocumentError", "document_text"]
