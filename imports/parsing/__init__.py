"""Turning an uploaded charter file into text (pandoc runs here); reading it is `charter.parsing`."""

from imports.parsing.convert import DocumentError, document_text

__all__ = ["DocumentError", "document_text"]
