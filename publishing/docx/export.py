"""Converts a version snapshot to DOCX with pandoc, stamps header and footer, caches the result.

Cache: one file per fingerprint under MEDIA_ROOT/exports/docx/. A version's snapshot is frozen,
so its DOCX never changes: the file store is shared by every worker process, survives restarts
and needs no cache server. The key also carries RENDERER_KEY (the reference document's hash and
the renderer's revision), so changing the layout never serves an outdated file.
"""

import hashlib
import io
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from .build_reference import REFERENCE_PATH
from .markdown import build_markdown
from .pandoc import PandocError, run_pandoc

logger = logging.getLogger(__name__)

RENDERER_REVISION = "4"  # bump whenever the Markdown or pandoc options change
RENDERER_KEY = hashlib.sha256(REFERENCE_PATH.read_bytes() + RENDERER_REVISION.encode()).hexdigest()[
    :12
]
# No "smart" typography: the text of a legal document is exported as written (and reads back
# identically through import_charter).
PANDOC_FORMAT = "markdown-raw_html-raw_tex-raw_attribute-smart"
# Only data: images are embedded; any other image becomes its alt text (see the filter).
NO_SERVER_IMAGES_FILTER = Path(__file__).with_name("no_server_images.lua")
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocxExportError(Exception):
    """The DOCX could not be produced (pandoc missing or failing, cache not writable).

    Its message is French and shown as is to editors and visitors; the cause is chained.
    """

    def __init__(self, message: str = ""):
        super().__init__(
            message
            or "Le document DOCX n'a pas pu être produit : le convertisseur pandoc est "
            "introuvable ou a échoué. Réessayez plus tard ; si le problème persiste, "
            "prévenez l'équipe technique."
        )


@dataclass(frozen=True)
class ExportedDocx:
    """An exported DOCX on disk, and whether it came from the cache."""

    path: Path
    cached: bool

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports" / "docx"


def cache_path(fingerprint: str) -> Path:
    return cache_dir() / f"{fingerprint}-{RENDERER_KEY}.docx"


def _field_run(paragraph, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) to a paragraph."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        run = paragraph.add_run()
        if kind is None:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        if kind == "separate":
            paragraph.add_run("1")


def _fill_toc(document) -> None:
    """Pre-fill the table of contents with the level 1-2 headings, linked to their bookmarks.

    pandoc leaves the TOC field empty for Word to compute on opening; LibreOffice and PDF
    converters show the field's stored result, so we store the headings (without page numbers;
    Word recomputes them, pandoc sets `updateFields`).
    """
    body = document.element.body
    field_paragraph = next(
        (
            p
            for p in body.iter(qn("w:p"))
            if any("TOC" in (t.text or "") for t in p.iter(qn("w:instrText")))
        ),
        None,
    )
    if field_paragraph is None:
        return
    entries, bookmark = [], None
    for child in body.iterchildren():
        if child.tag == qn("w:bookmarkStart"):
            bookmark = child.get(qn("w:name"))
        elif child.tag == qn("w:p"):
            style = child.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            level = {"Heading1": 1, "Heading2": 2}.get(
                style.get(qn("w:val")) if style is not None else ""
            )
            if level:
                text = "".join(t.text or "" for t in child.iter(qn("w:t")))
                entries.append((level, text, bookmark))
            bookmark = None
    run = field_paragraph.find(qn("w:r"))
    end = run.findall(qn("w:fldChar"))[-1]
    run.remove(end)
    anchor = field_paragraph
    for level, text, name in entries:
        paragraph = OxmlElement("w:p")
        properties = OxmlElement("w:pPr")
        style = OxmlElement("w:pStyle")
        style.set(qn("w:val"), f"TOC{level}")
        properties.append(style)
        paragraph.append(properties)
        container = paragraph
        if name:
            container = OxmlElement("w:hyperlink")
            container.set(qn("w:anchor"), name)
            paragraph.append(container)
        text_run = OxmlElement("w:r")
        text_element = OxmlElement("w:t")
        text_element.set(qn("xml:space"), "preserve")
        text_element.text = text
        text_run.append(text_element)
        container.append(text_run)
        anchor.addnext(paragraph)
        anchor = paragraph
    closing = OxmlElement("w:p")
    closing_run = OxmlElement("w:r")
    closing_run.append(end)
    closing.append(closing_run)
    anchor.addnext(closing)


def _stamp(docx_bytes: bytes, *, title: str, version: str, fingerprint: str) -> bytes:
    """Header naming the charter and the version; footer with the fingerprint and page numbers."""
    document = Document(io.BytesIO(docx_bytes))
    _fill_toc(document)
    core = document.core_properties
    core.title, core.subject, core.language = title, version, "fr-FR"
    core.keywords = f"SHA-256 {fingerprint}"
    for section in document.sections:
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        header = section.header.paragraphs[0]
        header.text = f"{title} — {version}"
        footer = section.footer
        first = footer.paragraphs[0]
        first.text = f"Empreinte SHA-256 : {fingerprint}"
        second = footer.add_paragraph("Page ")
        _field_run(second, "PAGE")
        second.add_run(" sur ")
        _field_run(second, "NUMPAGES")
        for paragraph in (header, first, second):
            for run in paragraph.runs:
                run.font.size = Pt(8)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def pandoc_docx(
    markdown: str, *, extra_args: list[str], source_format: str = PANDOC_FORMAT, error: str = ""
) -> bytes:
    """Markdown to DOCX bytes with pandoc and the A4 reference document; DocxExportError else.

    Runs through `run_pandoc` (sandboxed: no file is read from the server or the network;
    bounded in time and memory) with the filter that embeds only data: images.
    """
    try:
        return run_pandoc(
            args=[
                f"--from={source_format}",
                "--to=docx",
                "--output=-",
                f"--reference-doc={REFERENCE_PATH}",
                f"--lua-filter={NO_SERVER_IMAGES_FILTER}",
                *extra_args,
            ],
            stdin=markdown.encode("utf-8"),
        )
    except PandocError as cause:  # binary missing / not executable, failed or stopped
        logger.error("Export DOCX : pandoc a échoué : %s", cause)
        raise DocxExportError(error) from cause


def render_docx(snapshot: dict, *, fingerprint: str) -> bytes:
    """The DOCX bytes of a snapshot (no cache)."""
    markdown = build_markdown(snapshot, fingerprint=fingerprint)
    raw = pandoc_docx(markdown, extra_args=["--toc", "--toc-depth=2"])
    return _stamp(
        raw,
        title=snapshot["charter"]["title"],
        version=snapshot["version"]["name"],
        fingerprint=fingerprint,
    )


def export_docx(snapshot: dict, *, fingerprint: str) -> ExportedDocx:
    """The DOCX of a snapshot, from the cache when this fingerprint was already exported."""
    path = cache_path(fingerprint)
    if path.exists():
        return ExportedDocx(path, cached=True)
    data = render_docx(snapshot, fingerprint=fingerprint)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp_name, path)  # atomic: concurrent readers never see a partial file
    except OSError as error:
        logger.error("Export DOCX : écriture impossible dans %s : %s", path.parent, error)
        raise DocxExportError(
            "Le document DOCX n'a pas pu être enregistré (dossier des médias non accessible "
            "en écriture). Prévenez l'équipe technique."
        ) from error
    return ExportedDocx(path, cached=False)
