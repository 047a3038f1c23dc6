"""Generates reference.docx (A4, French styles) from pandoc's default reference document.

Run `python -m publishing.docx.build_reference` after changing the styles, and commit the result.
"""

import io
import subprocess
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

REFERENCE_PATH = Path(__file__).resolve().parent / "reference.docx"
FONT = "Arial"
BLUE = RGBColor(0x1F, 0x3A, 0x68)


def _font(style, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.color.rgb = color or RGBColor(0, 0, 0)


def _paragraph_style(document, name: str):
    styles = document.styles
    if name in [s.name for s in styles]:
        return styles[name]
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    return style


def _table_borders(document) -> None:
    """Thin borders on pandoc's "Table" style."""
    style = document.styles["Table"]
    tbl_pr = style.element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        style.element.append(tbl_pr)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:color"), "808080")
        borders.append(element)
    tbl_pr.append(borders)


def build_reference() -> bytes:
    """The reference document's bytes."""
    # A developer's tool without Django settings, hence not run_pandoc; sandboxed all the same.
    raw = subprocess.run(  # noqa: S603 - the pandoc binary shipped by pypandoc-binary
        [pypandoc.get_pandoc_path(), "--sandbox", "--print-default-data-file", "reference.docx"],
        check=True,
        capture_output=True,
    ).stdout
    document = Document(io.BytesIO(raw))
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(22)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)
        section.header_distance = section.footer_distance = Mm(10)
    styles = document.styles
    _font(styles["Normal"], 10.5)
    for name in ("Body Text", "First Paragraph", "Compact"):
        _font(styles[name], 10.5)
        styles[name].paragraph_format.space_after = Pt(6)
    _font(styles["Title"], 26, bold=True, color=BLUE)
    styles["Title"].paragraph_format.space_before = Pt(140)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(styles["Subtitle"], 15, color=BLUE)
    styles["Subtitle"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(styles["Date"], 13)
    styles["Date"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name in ("Abstract", "Abstract Title"):
        if name in [s.name for s in styles]:
            _font(styles[name], 8.5, color=RGBColor(0x55, 0x55, 0x55))
    for level, size in ((1, 18), (2, 14), (3, 12), (4, 11)):
        style = styles[f"Heading {level}"]
        _font(style, size, bold=True, color=BLUE)
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(14 if level < 3 else 8)
        style.paragraph_format.space_after = Pt(6)
    styles["Heading 1"].paragraph_format.page_break_before = True
    _font(styles["TOC Heading"], 18, bold=True, color=BLUE)
    styles["TOC Heading"].paragraph_format.page_break_before = True

    for level in (1, 2):
        toc = _paragraph_style(document, f"TOC {level}")
        _font(toc, 10.5, bold=level == 1)
        toc.paragraph_format.left_indent = Mm(0 if level == 1 else 6)
        toc.paragraph_format.space_before = Pt(6 if level == 1 else 0)
        toc.paragraph_format.space_after = Pt(2)
        # The page number (written by the PDF export) at the right margin, after dots.
        toc.paragraph_format.tab_stops.add_tab_stop(
            Mm(166), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
        )

    signed_at = _paragraph_style(document, "Fait à")
    _font(signed_at, 11)
    signed_at.paragraph_format.keep_with_next = True
    signed_at.paragraph_format.space_before = Pt(6)
    signed_at.paragraph_format.space_after = Pt(12)
    fingerprint = _paragraph_style(document, "Empreinte")
    _font(fingerprint, 9.5, bold=True)
    fingerprint.font.name = "Courier New"
    fingerprint.element.rPr.rFonts.set(qn("w:eastAsia"), "Courier New")
    fingerprint.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fingerprint.paragraph_format.space_before = Pt(12)
    fingerprint.paragraph_format.space_after = Pt(12)
    cover = _paragraph_style(document, "Couverture")
    _font(cover, 13)
    cover.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover.paragraph_format.space_after = Pt(6)
    _table_borders(document)

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


if __name__ == "__main__":
    REFERENCE_PATH.write_bytes(build_reference())
    print(f"Écrit : {REFERENCE_PATH}")
