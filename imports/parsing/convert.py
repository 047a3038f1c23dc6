"""Turning an uploaded charter file (DOCX, Markdown, plain text) into text with pandoc."""

import io
import os
import tempfile
import zipfile
import zlib

from django.conf import settings

from publishing.docx.pandoc import PandocError, run_pandoc

DOCX_MAGIC = b"PK\x03\x04"
READ_CHUNK = 64 * 1024


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


def check_docx_size(data: bytes) -> None:
    """Refuse a DOCX whose content unpacks too large or too compressed (zip bomb), unpacking it.

    The sizes announced in the zip directory can lie: every member is really decompressed, in
    chunks, and the count stops as soon as a limit is crossed.
    """
    max_bytes = settings.IMPORT_DOCX_MAX_UNCOMPRESSED_BYTES
    limit = min(max_bytes, len(data) * settings.IMPORT_DOCX_MAX_COMPRESSION_RATIO)
    too_large = DocumentError(
        "Le fichier DOCX est refusé : son contenu décompressé est anormalement volumineux "
        f"(plus de {max_bytes // 1_000_000} Mo, ou plus de "
        f"{settings.IMPORT_DOCX_MAX_COMPRESSION_RATIO} fois la taille du fichier). "
        "Enregistrez à nouveau le document depuis votre traitement de texte, sans images "
        "inutiles, puis déposez-le."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > limit:
                raise too_large
            total = 0
            for member in members:
                with archive.open(member) as handle:
                    while chunk := handle.read(READ_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise too_large
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        # damaged data, unknown compression method, encrypted member
        raise DocumentError("Le fichier DOCX est illisible ou endommagé.") from error


def document_text(*, filename: str, data: bytes) -> str:
    """The document as Markdown-like text: DOCX through pandoc (GFM), text files decoded."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(DOCX_MAGIC) or extension == "docx":
        check_docx_size(data)
        with tempfile.NamedTemporaryFile(suffix=".docx", delete=False) as handle:
            handle.write(data)
            path = handle.name
        try:
            output = run_pandoc(args=["--from=docx", "--to=gfm", "--wrap=none", path])
        except PandocError as error:
            if error.timed_out:
                raise DocumentError(
                    "La conversion du document a été interrompue : elle dépassait "
                    f"{settings.PANDOC_TIMEOUT_SECONDS} secondes. Le document est trop "
                    "volumineux ou trop complexe ; découpez-le ou allégez-le (images, "
                    "tableaux), puis déposez-le à nouveau."
                ) from error
            raise DocumentError(
                "Le fichier DOCX n'a pas pu être converti : il est illisible, endommagé ou trop "
                "lourd à traiter. Enregistrez-le à nouveau depuis votre traitement de texte "
                "(format .docx), puis déposez-le."
            ) from error
        finally:
            os.unlink(path)
        return output.decode("utf-8", errors="replace")
    if extension in ("pdf", "doc", "odt"):
        raise DocumentError(
            "Format non pris en charge : enregistrez le document en DOCX, Markdown ou texte."
        )
    return _decode(data)
