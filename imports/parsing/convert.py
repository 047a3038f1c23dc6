"""Turning an uploaded charter file (DOCX, PDF, Markdown, plain text) into text.

DOCX goes through pandoc, PDF through poppler's `pdftotext -layout` (see README « Importer une
charte »: both sandboxed or bounded in time). `source_document` also says, for each line of the
text, where it is in the user's file: the line of a text file, the paragraph of a DOCX (counted
as Word counts them, table cells included), the page and line of a PDF.
"""

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, replace
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings

from charter.parsing import ParsedDocument, parse_document
from charter.parsing.lines import origins
from publishing.docx.pandoc import PandocError, run_pandoc

DOCX_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF-"
READ_CHUNK = 64 * 1024
WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Symbol-font bullets that pdftotext gives as private-use characters, round ones, and Word's
# second-level « o » (a lone o before a wide gap).
PDF_BULLETS = re.compile(
    "^(\\s*)(?:[\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\u25aa\u25cf\u2022\u25e6](?:\\s+|$)"
    "|o\\s{2,}(?=\\S))"
)
PDF_MIN_LETTERS_PER_PAGE = 20
PDF_MAX_OUTPUT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class SourceDocument:
    """A charter file's text, and where each of its lines is in the user's file (French)."""

    text: str
    labels: tuple[str, ...]

    def where(self, line: int) -> str:
        """« paragraphe 12 », « page 3, ligne 7 » or « ligne 40 » for line `line` of the text."""
        if 1 <= line <= len(self.labels):
            return self.labels[line - 1]
        return f"ligne {line}"


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


def charter_document(*, filename: str, data: bytes) -> ParsedDocument:
    """Read a charter file: what the reader found, each unplaced line located in the user's file."""
    source = source_document(filename=filename, data=data)
    document = parse_document(source.text)
    document.unplaced = [replace(item, where=source.where(item.line)) for item in document.unplaced]
    return document


def document_text(*, filename: str, data: bytes) -> str:
    """The document as Markdown-like text: DOCX through pandoc (GFM), PDF through pdftotext,
    text files decoded."""
    return source_document(filename=filename, data=data).text


def source_document(*, filename: str, data: bytes) -> SourceDocument:
    """The document's text, with the place of each of its lines in the user's file."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(PDF_MAGIC) or extension == "pdf":
        return pdf_source(data)
    if data.startswith(DOCX_MAGIC) or extension == "docx":
        text = _docx_text(data)
        paragraphs = docx_paragraphs(data)
        numbers = origins("\n".join(paragraphs), text)
        return SourceDocument(text, tuple(f"paragraphe {number}" for number in numbers))
    if extension in ("doc", "odt"):
        raise DocumentError(
            "Format non pris en charge : enregistrez le document en DOCX, PDF, Markdown ou texte."
        )
    text = _decode(data)
    count = len(text.replace("\r\n", "\n").split("\n"))
    return SourceDocument(text, tuple(f"ligne {number}" for number in range(1, count + 1)))


def docx_paragraphs(data: bytes) -> list[str]:
    """The text of every paragraph of a DOCX body, in order (table cells included, empty ones
    too): paragraph n of the list is the n-th paragraph Word counts."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = ElementTree.fromstring(archive.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, ParseError, DefusedXmlException) as error:
        raise DocumentError("Le fichier DOCX est illisible ou endommagé.") from error
    return [
        "".join(node.text or "" for node in paragraph.iter(f"{WORD_NS}t"))
        for paragraph in root.iter(f"{WORD_NS}p")
    ]


def _docx_text(data: bytes) -> str:
    """A DOCX as GitHub Markdown, through pandoc (sandboxed, bounded)."""
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


def pdf_source(data: bytes) -> SourceDocument:
    """A PDF's text layer, read by `pdftotext -layout` (bounded in time and output), made into
    the reader's lines: bullets, table columns (tabs), wrapped lines joined, running headers and
    footers left out. A PDF without text (a scan) is refused: it needs OCR first."""
    timeout = settings.PANDOC_TIMEOUT_SECONDS
    executable = shutil.which("pdftotext")
    try:
        if executable is None:
            raise FileNotFoundError("pdftotext")
        result = subprocess.run(  # noqa: S603 - a fixed command; the PDF comes on stdin
            [executable, "-layout", "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise DocumentError(
            f"La lecture du PDF a été interrompue : elle dépassait {timeout} secondes. "
            "Enregistrez le document en DOCX, ou découpez-le, puis déposez-le à nouveau."
        ) from error
    except FileNotFoundError as error:
        raise DocumentError(
            "La lecture des PDF n'est pas disponible sur ce serveur (pdftotext manquant) : "
            "déposez le document en DOCX. Prévenez l'équipe technique."
        ) from error
    if result.returncode != 0 or len(result.stdout) > PDF_MAX_OUTPUT_BYTES:
        raise DocumentError(
            "Le fichier PDF est illisible, endommagé ou protégé. Enregistrez-le à nouveau "
            "(ou en DOCX) depuis votre traitement de texte, puis déposez-le."
        )
    pages = result.stdout.decode("utf-8", errors="replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    letters = sum(char.isalpha() for page in pages for char in page)
    if letters < PDF_MIN_LETTERS_PER_PAGE * max(1, len(pages)):
        raise DocumentError(
            "Ce PDF ne contient pas de texte : c'est sans doute un document numérisé (une image "
            "de chaque page). Faites-le d'abord passer par une reconnaissance de caractères "
            "(OCR), ou déposez le fichier DOCX d'origine."
        )
    return _pdf_lines(pages)


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of most pages (running headers, footers)."""
    if len(pages) < 3:
        return set()
    counts: Counter = Counter()
    for lines in pages:
        texts = [line.strip() for line in lines if line.strip()]
        edges = {re.sub(r"\d+", "#", text) for text in texts[:2] + texts[-2:]}
        counts.update(edges)
    return {text for text, count in counts.items() if count >= max(3, len(pages) // 2)}


def _pdf_lines(pages_text: list[str]) -> SourceDocument:
    pages = [page.split("\n") for page in pages_text]
    running = _running_lines(pages)
    indents = [
        len(match.group(1))
        for lines in pages
        for line in lines
        if (match := PDF_BULLETS.match(line))
    ]
    base = min(indents, default=0)
    lengths = sorted(
        len(line.rstrip())
        for lines in pages
        for line in lines
        if line.strip() and "   " not in line.strip()
    )
    width = lengths[int(len(lengths) * 0.9)] if lengths else 80
    out: list[str] = []
    labels: list[str] = []
    for number, lines in enumerate(pages, start=1):
        visible = 0
        previous = ""
        for raw in lines:
            line = raw.rstrip()
            if line.strip():
                visible += 1
            label = f"page {number}, ligne {visible}"
            if not line.strip() or re.sub(r"\d+", "#", line.strip()) in running:
                out.append("")
                labels.append(label)
                previous = ""
                continue
            bullet = PDF_BULLETS.match(line)
            if bullet:
                nested = len(bullet.group(1)) > base + 2
                line = ("  " if nested else "") + "- " + line[bullet.end() :].strip()
            else:
                indent = len(line) - len(line.lstrip())
                line = re.sub(r"(?<=\S) {3,}(?=\S)", "\t", line.strip())
                line = " " * min(indent, 1) + line if "\t" not in line else line
            # A line wrapped before an acronym or a number (« … saisir la » / « CCAPEX »):
            # one starting with a lowercase letter is joined by the reader itself.
            wrapped = (
                len(previous) >= 0.8 * width
                and not bullet
                and not previous.rstrip().endswith((".", ":", ";", "!", "?"))
                and re.match(r"^\s*(?:[A-ZÀ-Ý]{2,}\b|\d)", line) is not None
            )
            if wrapped and out and "\t" not in line:
                position = max(i for i, text in enumerate(out) if text.strip())
                out[position] = out[position].rstrip() + " " + line.strip()
                out.append("")
            else:
                out.append(line)
            labels.append(label)
            previous = raw.rstrip()
    return SourceDocument("\n".join(out), tuple(labels))
