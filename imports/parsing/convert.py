"""Turning an uploaded charter file (DOCX, Markdown, plain text) into text with pandoc."""

import os
import tempfile

DOCX_MAGIC = b"PK\x03\x04"


class DocumentError(ValueError):
    """The file cannot be read as a charter document (message in French)."""


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise DocumentError("Document illisible : ni DOCX, ni texte UTF-8 ou Windows-1252.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError("Encodage non reconnu : enregistrez le texte en UTF-8.")


def document_text(*, filename: str, data: bytes) -> str:
    """The document as Markdown-like text: DOCX through pandoc (GFM), text files decoded."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(DOCX_MAGIC) or extension == "docx":
        import pypandoc

        with tempfile.NamedTemporaryFile(suffix=".docx", delete=False) as handle:
            handle.write(data)
            path = handle.name
        try:
            return pypandoc.convert_file(path, "gfm", format="docx", extra_args=["--wrap=none"])
        except (RuntimeError, OSError) as error:
            raise DocumentError("Le fichier DOCX est illisible ou endommagé.") from error
        finally:
            os.unlink(path)
    if extension in ("pdf", "doc", "odt"):
        raise DocumentError(
            "Format non pris en charge : enregistrez le document en DOCX, Markdown ou texte."
        )
    return _decode(data)
