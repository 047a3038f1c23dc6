"""DOCX → PDF/A with LibreOffice, for the charter and the annual report.

LibreOffice (`soffice --headless`) is the one engine: it lays out the DOCX the pandoc pipeline
produced, so the PDF is the same document (same fingerprint, same pages). Each run has its own
user profile (`-env:UserInstallation`), its own process group and a timeout. Without LibreOffice
(`settings.LIBREOFFICE_BINARY` not found), `PdfExportError` says so in French and the DOCX stays
available. Charter PDFs are cached beside the DOCX, one file per DOCX.
"""

import contextlib
import io
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from .export import cache_dir, export_docx

logger = logging.getLogger(__name__)

PDF_CONTENT_TYPE = "application/pdf"
# PDF/A-2b (archiving, electronic signature circuits), tagged for screen readers.
PDF_FILTER = (
    'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
    '"UseTaggedPDF":{"type":"boolean","value":"true"}}'
)
ENGINE_MISSING = (
    "La version PDF n'est pas disponible sur ce serveur : le logiciel LibreOffice, qui la "
    "produit, n'y est pas installé. Le document DOCX reste téléchargeable."
)
ENGINE_FAILED = (
    "La version PDF n'a pas pu être produite (LibreOffice a échoué ou a dépassé le temps "
    "imparti). Le document DOCX reste téléchargeable ; réessayez plus tard."
)


class PdfExportError(Exception):
    """No PDF: LibreOffice missing or failing. Its message is French and shown as is."""

    def __init__(self, message: str = ENGINE_FAILED):
        super().__init__(message)


@dataclass(frozen=True)
class ExportedPdf:
    path: Path
    cached: bool

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def engine() -> str | None:
    """The LibreOffice binary's path, or None when it is not installed."""
    return shutil.which(settings.LIBREOFFICE_BINARY)


def docx_to_pdf(docx: bytes) -> bytes:
    """A DOCX converted to PDF/A by LibreOffice, its « Sommaire » with page numbers.

    LibreOffice prints the table of contents as stored (entries without page numbers): a first
    conversion tells on which page each heading falls, the numbers are written into the entries,
    and the second conversion is the PDF. PdfExportError when LibreOffice is absent or fails.
    """
    first = _convert(docx)
    numbered = number_toc(docx, _page_texts(first))
    return _convert(numbered) if numbered != docx else first


def _page_texts(pdf: bytes) -> list[str] | None:
    """Each page's text (pdftotext, poppler), or None when it is not installed."""
    binary = shutil.which("pdftotext")
    if binary is None:
        return None
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            [binary, "-", "-"], input=pdf, capture_output=True, timeout=60, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.decode("utf-8", errors="replace").split("\f")[:-1]


def _squash(text: str) -> str:
    return "".join(text.split()).lower()


def number_toc(docx: bytes, pages: list[str] | None) -> bytes:
    """The DOCX with each « Sommaire » entry followed by a tab and its heading's page number."""
    if not pages:
        return docx
    document = Document(io.BytesIO(docx))
    entries = [
        Paragraph(p, document)
        for p in document.element.body.iter(qn("w:p"))
        if Paragraph(p, document).style.name in ("TOC 1", "TOC 2")
    ]
    if not entries:
        return docx
    squashed = [_squash(page) for page in pages]
    # The entries' own page(s) mention every heading: look after the page of the last entry.
    last = _squash(entries[-1].text)[:60]
    start = next((i for i, page in enumerate(squashed) if last in page), None)
    if start is None:
        return docx
    current = start + 1
    for entry in entries:
        key = _squash(entry.text)[:60]
        found = next((i for i in range(current, len(squashed)) if key in squashed[i]), None)
        if found is None:
            continue
        current = found
        container = entry._p.find(qn("w:hyperlink"))
        target = entry if container is None else None
        run = entry.add_run(f"\t{found + 1}")
        if target is None:  # keep the number inside the link, like Word does
            container.append(run._r)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _convert(docx: bytes) -> bytes:
    """One LibreOffice conversion of a DOCX to PDF/A."""
    binary = engine()
    if binary is None:
        raise PdfExportError(ENGINE_MISSING)
    with tempfile.TemporaryDirectory(prefix="pdf-export-") as work:
        source = Path(work) / "document.docx"
        source.write_bytes(docx)
        profile = Path(work) / "profile"
        command = [
            binary,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            work,
            str(source),
        ]
        try:
            process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
                env={**os.environ, "HOME": work},
            )
        except OSError as error:
            raise PdfExportError(ENGINE_MISSING) from error
        try:
            _out, err = process.communicate(timeout=settings.LIBREOFFICE_TIMEOUT_SECONDS)
        except BaseException as error:  # timeout, or the request ends: LibreOffice goes too
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            if isinstance(error, subprocess.TimeoutExpired):
                logger.error("LibreOffice arrêté après %s s", settings.LIBREOFFICE_TIMEOUT_SECONDS)
                raise PdfExportError() from error
            raise
        target = source.with_suffix(".pdf")
        if process.returncode != 0 or not target.exists():
            logger.error(
                "LibreOffice a échoué (code %s) : %s",
                process.returncode,
                err.decode("utf-8", errors="replace").strip(),
            )
            raise PdfExportError()
        return target.read_bytes()


def pdf_cache_path(docx_path: Path) -> Path:
    return cache_dir().parent / "pdf" / docx_path.with_suffix(".pdf").name


def cached_pdf(docx_path: Path) -> ExportedPdf | None:
    """The PDF of this cached DOCX when it was already produced (no conversion), else None."""
    path = pdf_cache_path(docx_path)
    return ExportedPdf(path, cached=True) if path.exists() else None


def pdf_offer(docx_path: Path | None) -> dict:
    """What a download list says of the PDF: available at all, and its size once produced."""
    cached = cached_pdf(docx_path) if docx_path is not None else None
    return {
        "pdf_available": engine() is not None,
        "pdf_size": cached.size if cached else None,
        "pdf_missing": ENGINE_MISSING,
    }


def export_pdf(snapshot: dict, *, fingerprint: str) -> ExportedPdf:
    """The charter PDF of a snapshot, made from its (cached) DOCX; cached likewise.

    DocxExportError when the DOCX cannot be made, PdfExportError when the PDF cannot.
    """
    docx = export_docx(snapshot, fingerprint=fingerprint)
    path = pdf_cache_path(docx.path)
    if path.exists():
        return ExportedPdf(path, cached=True)
    data = docx_to_pdf(docx.path.read_bytes())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp_name, path)
    except OSError as error:
        logger.error("Export PDF : écriture impossible dans %s : %s", path.parent, error)
        raise PdfExportError(
            "Le document PDF n'a pas pu être enregistré (dossier des médias non accessible en "
            "écriture). Prévenez l'équipe technique."
        ) from error
    return ExportedPdf(path, cached=False)
