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
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

from django.conf import settings
from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from charter.choices import SignatoryRole

from .annex import DirectAnnex, DirectAnnexError
from .build_reference import REFERENCE_PATH
from .layout import (  # noqa: F401 - shared with the annual report
    TABLE_PROPERTIES,
    field_run,
    fill_toc,
    fit_columns,
    table_property,
)
from .markdown import SIGNATURES_PLACEHOLDER_STYLE, build_markdown, period
from .pandoc import PandocError, run_pandoc

logger = logging.getLogger(__name__)

RENDERER_REVISION = "7"  # bump whenever the Markdown or pandoc options change
RENDERER_KEY = hashlib.sha256(REFERENCE_PATH.read_bytes() + RENDERER_REVISION.encode()).hexdigest()[
    :12
]
# No "smart" typography: the text of a legal document is exported as written (and reads back
# identically through import_charter).
PANDOC_FORMAT = "markdown-raw_html-raw_tex-raw_attribute-smart"
# Only data: images are embedded; any other image becomes its alt text (see the filter).
NO_SERVER_IMAGES_FILTER = Path(__file__).with_name("no_server_images.lua")
# Room for a signature and a stamp in each signature block (French administrations: ≥ 4 cm).
SIGNATURE_HEIGHT = Cm(7.2)
W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_P = qn("w:p")
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


def cache_path(fingerprint: str, look: "Presentation | None" = None) -> Path:
    look = look if look is not None else presentation()
    return cache_dir() / f"{fingerprint}-{RENDERER_KEY}-{look.key}.docx"


class Logo:
    """A co-pilot's logo for a cover: PNG or JPEG bytes (read only when a cover is drawn), what
    it shows, and what identifies it in the cache key."""

    def __init__(self, data: bytes | Callable[[], bytes], alt: str, identity: str = ""):
        self._data, self.alt = data, alt
        self.identity = identity or (
            hashlib.sha256(data).hexdigest() if isinstance(data, bytes) else alt
        )

    @cached_property
    def data(self) -> bytes:
        return self._data if isinstance(self._data, bytes) else self._data()


@dataclass(frozen=True)
class Presentation:
    """What a cover shows besides the frozen text: the co-pilots' logos, the Marianne block."""

    logos: tuple[Logo, ...] = ()
    marianne: bool = False

    @property
    def key(self) -> str:
        """Part of the cache key: a new logo or theme makes a new file."""
        digest = hashlib.sha256(b"marianne" if self.marianne else b"neutral")
        for logo in self.logos:
            digest.update(logo.identity.encode())
        return digest.hexdigest()[:12]


def _rendition_bytes(image) -> bytes:
    rendition = image.get_rendition("max-600x300|format-png")
    with rendition.file.open("rb") as handle:
        return handle.read()


def presentation() -> Presentation:
    """The logos set in « Documents officiels » (Wagtail settings) and the site's theme.

    One query; an image file is read only when a document is drawn (not for a cached one).
    """
    from publishing.models import DocumentSettings  # the app's models, loaded after Django

    document_settings = DocumentSettings.objects.select_related(
        "state_logo", "department_logo"
    ).first()
    images = (
        (document_settings.state_logo, document_settings.department_logo)
        if document_settings
        else ()
    )
    logos = tuple(
        Logo(
            partial(_rendition_bytes, image),
            image.title,
            identity=f"{image.pk}:{image.file_hash or image.file.name}",
        )
        for image in images
        if image is not None
    )
    return Presentation(logos=logos, marianne=settings.SITE_THEME == "dsfr")


def _run(paragraph, text: str, *, size: float | None = None, bold=False, italic=False, grey=False):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if grey:
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    return run


def _body_paragraphs(document):
    """The body's paragraphs, one at a time (`document.paragraphs` makes them all at once)."""
    return (Paragraph(p, document._body) for p in document.element.body.iterchildren(W_P))


def add_cover(document, *, lines: list[str], presentation: Presentation) -> None:
    """Above the title: the Marianne block (State theme) and the logos; below the subtitle:
    the given lines (period, committee date…)."""
    title = next((p for p in _body_paragraphs(document) if p.style.name == "Title"), None)
    if title is None:
        return
    if presentation.marianne:
        block = title.insert_paragraph_before(style="Normal")
        block.paragraph_format.space_after = Pt(24)
        _run(block, "RÉPUBLIQUE", size=12, bold=True).add_break()
        _run(block, "FRANÇAISE", size=12, bold=True).add_break()
        _run(block, "Liberté", size=9, italic=True).add_break()
        _run(block, "Égalité", size=9, italic=True).add_break()
        _run(block, "Fraternité", size=9, italic=True)
    if presentation.logos:
        row = title.insert_paragraph_before(style="Normal")
        row.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for logo in presentation.logos:
            try:
                data = logo.data
            except (OSError, ValueError) as error:  # file missing or unreadable: no logo
                logger.warning("Logo « %s » illisible : %s", logo.alt, error)
                continue
            if row.runs:
                row.add_run("\u2003\u2003")
            picture = row.add_run().add_picture(io.BytesIO(data), height=Cm(2.4))
            picture._inline.docPr.set("descr", logo.alt)  # alternative text
        # The logos take the room the title's own space above it gave.
        title.paragraph_format.space_before = Pt(60)
    anchor = next((p for p in _body_paragraphs(document) if p.style.name == "Subtitle"), title)
    for text in reversed(lines):
        if text:
            paragraph = _insert_after(anchor, text, style="Couverture")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _insert_after(paragraph, text: str, *, style: str):
    element = OxmlElement("w:p")
    paragraph._p.addnext(element)
    new = Paragraph(element, paragraph._parent)
    new.style = style
    new.add_run(text)
    return new


def _cell_margins(cell, *, top: int, left: int) -> None:
    margins = OxmlElement("w:tcMar")
    for edge, value in (("top", top), ("left", left), ("right", left), ("bottom", top)):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(value))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    cell._tc.get_or_add_tcPr().append(margins)


def _signature_table(document, placeholder, signatories: list[dict]) -> None:
    """One row per signatory, never split across pages: who signs (the authority's title, the
    organisation, the signer's name) on the left, a box of at least SIGNATURE_HEIGHT for the
    signature and the stamp on the right; three rows fill a page."""
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:color"), "808080")
        borders.append(line)
    table_property(table, borders)
    widths = (Cm(8.6), Cm(8.0))
    for signatory in signatories:
        row = table.add_row()
        row.height = SIGNATURE_HEIGHT
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        left, right = row.cells
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
            _cell_margins(cell, top=113, left=142)
        organisation = signatory["partner"]
        if signatory["short_name"] and signatory["short_name"] != signatory["partner"]:
            organisation += f" ({signatory['short_name']})"
        who = left.paragraphs[0]
        authority = (signatory.get("authority_title") or "").strip()
        _run(who, authority or f"Pour {organisation}", size=11, bold=True)
        if authority:
            _run(left.add_paragraph(), organisation, size=10)
        if signatory.get("signer_name"):
            _run(left.add_paragraph(), signatory["signer_name"], size=10)
        if signatory["role"] == SignatoryRole.COPILOT:
            _run(left.add_paragraph(), "Co-pilote de la charte", size=9, italic=True, grey=True)
        _run(right.paragraphs[0], "Signature et cachet", size=8, italic=True, grey=True)
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_together = True
                paragraph.paragraph_format.keep_with_next = True
                paragraph.paragraph_format.space_after = Pt(3)
    placeholder._p.addnext(table._tbl)
    placeholder._p.getparent().remove(placeholder._p)


def _paragraph_of_style(document, style_name: str) -> Paragraph | None:
    """The first paragraph of the body in this style, or None.

    Compares the style id written on each paragraph, in one XPath: `Paragraph.style` looks the
    default style up among all the styles for every paragraph without one (seconds on a
    10,000-commitment charter).
    """
    try:
        style_id = document.styles[style_name].style_id
    except KeyError:
        return None
    found = etree.ElementBase.xpath(
        document.element.body,
        "w:p[w:pPr/w:pStyle/@w:val = $style][1]",
        namespaces={"w": W_NAMESPACE},
        style=style_id,
    )
    return Paragraph(found[0], document._body) if found else None


def _stamp(document, *, snapshot: dict, fingerprint: str, presentation: Presentation) -> bytes:
    """Cover, signature table, header naming the charter and version, footer with the short
    fingerprint and page numbers (the full one is on the authentication page)."""
    title = snapshot["charter"]["title"]
    version = snapshot["version"]["name"]
    fill_toc(document)
    add_cover(document, lines=[period(snapshot["charter"])], presentation=presentation)
    placeholder = _paragraph_of_style(document, SIGNATURES_PLACEHOLDER_STYLE)
    if placeholder is not None:
        _signature_table(document, placeholder, snapshot["signatories"])
    core = document.core_properties
    core.title, core.subject, core.language = title, version, "fr-FR"
    core.keywords = f"SHA-256 {fingerprint}"
    stamp_pages(
        document,
        header=f"{title} — {version}",
        footer=f"Empreinte {fingerprint[:12]}",
    )
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def stamp_pages(document, *, header: str, footer: str) -> None:
    """Running header; footer « {footer} — Page X sur Y »; none on the cover page."""
    for section in document.sections:
        section.different_first_page_header_footer = True
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        top = section.header.paragraphs[0]
        top.text = header
        bottom = section.footer.paragraphs[0]
        bottom.text = f"{footer} — Page "
        field_run(bottom, "PAGE")
        bottom.add_run(" sur ")
        field_run(bottom, "NUMPAGES")
        bottom.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for paragraph in (top, bottom):
            for run in paragraph.runs:
                run.font.size = Pt(8)


def pandoc_docx(
    markdown: str, *, extra_args: list[str], source_format: str = PANDOC_FORMAT, error: str = ""
) -> bytes:
    """Markdown to DOCX bytes with pandoc and the A4 reference document; DocxExportError else.

    Runs through `run_pandoc` (sandboxed: no file is read from the server or the network;
    bounded in time and memory) with the filter that embeds only data: images. pandoc reads an
    image only from `![`: without one (user text has its own escaped by `strip_images`), the
    filter, which costs a walk over the whole document, is left out.
    """
    images = [f"--lua-filter={NO_SERVER_IMAGES_FILTER}"] if "![" in markdown else []
    try:
        return run_pandoc(
            args=[
                f"--from={source_format}",
                "--to=docx",
                "--output=-",
                f"--reference-doc={REFERENCE_PATH}",
                *images,
                *extra_args,
            ],
            stdin=markdown.encode("utf-8"),
        )
    except PandocError as cause:  # binary missing / not executable, failed or stopped
        logger.error("Export DOCX : pandoc a échoué : %s", cause)
        raise DocxExportError(error) from cause


def _converted(markdown: str):
    return Document(io.BytesIO(pandoc_docx(markdown, extra_args=["--toc", "--toc-depth=2"])))


def render_docx(
    snapshot: dict,
    *,
    fingerprint: str,
    presentation: Presentation | None = None,
    direct_annex: bool = True,
) -> bytes:
    """The DOCX bytes of a snapshot (no cache).

    The engagements annex is written without pandoc where it can be (`annex.py`: the same
    document, pandoc's cost no longer grows with the commitments); `direct_annex=False`
    converts it with pandoc like the rest.
    """
    annex = DirectAnnex.of(snapshot) if direct_annex and snapshot["commitments"] else None
    document = None
    if annex is not None:
        lines = annex.markdown_lines()
        document = _converted(
            build_markdown(snapshot, fingerprint=fingerprint, engagements_lines=lines)
        )
        try:
            annex.write(document)
        except (DirectAnnexError, etree.XMLSyntaxError) as error:
            logger.warning("Export DOCX : annexe des engagements convertie par pandoc (%s)", error)
            document = None
    if document is None:
        document = _converted(build_markdown(snapshot, fingerprint=fingerprint))
    return _stamp(
        document,
        snapshot=snapshot,
        fingerprint=fingerprint,
        presentation=presentation or Presentation(),
    )


def export_docx(snapshot: dict | Callable[[], dict], *, fingerprint: str) -> ExportedDocx:
    """The DOCX of a snapshot, from the cache when this fingerprint was already exported
    (`snapshot` may be a function giving it: called only when the DOCX must be made)."""
    look = presentation()
    path = cache_path(fingerprint, look)
    if path.exists():
        return ExportedDocx(path, cached=True)
    snapshot = snapshot() if callable(snapshot) else snapshot
    data = render_docx(snapshot, fingerprint=fingerprint, presentation=look)
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


# The order of a table's properties in WordprocessingML (Word rejects another order).
