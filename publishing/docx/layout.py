"""Word layout helpers shared by the charter and the annual report: a pre-filled table of contents
(« Sommaire », entries present when the file is opened) and table columns that follow content.
"""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips


def field_run(paragraph, instruction: str) -> None:
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


def fill_toc(document, *, depth: int = 2) -> None:
    """Pre-fill the table of contents with the level 1-`depth` headings, linked to their bookmarks.

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
    # Tags computed once: the body of a large charter holds tens of thousands of paragraphs.
    bookmark_tag, paragraph_tag, name, value = (
        qn("w:bookmarkStart"),
        qn("w:p"),
        qn("w:name"),
        qn("w:val"),
    )
    style_path, text_tag = f"{qn('w:pPr')}/{qn('w:pStyle')}", qn("w:t")
    levels = {"Heading1": 1, "Heading2": 2}
    for child in body.iterchildren():
        if child.tag == bookmark_tag:
            bookmark = child.get(name)
        elif child.tag == paragraph_tag:
            style = child.find(style_path)
            level = levels.get(style.get(value)) if style is not None else None
            if level and level <= depth:
                text = "".join(t.text or "" for t in child.iter(text_tag))
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


TABLE_PROPERTIES = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
]


def table_property(table, element) -> None:
    """Set a table property (replacing one of the same kind) at its place in the schema."""
    properties = table._tbl.tblPr
    name = element.tag.rsplit("}", 1)[-1]
    for old in properties.findall(qn(f"w:{name}")):
        properties.remove(old)
    rank = TABLE_PROPERTIES.index(name)
    for child in properties:
        child_name = child.tag.rsplit("}", 1)[-1]
        if child_name in TABLE_PROPERTIES and TABLE_PROPERTIES.index(child_name) > rank:
            child.addprevious(element)
            return
    properties.append(element)


def fit_columns(table, *, width_twips: int, font_size: float) -> list[int]:
    """Column widths that follow the content: no word is cut (each column is at least as wide
    as its longest word), the room left goes to the columns with the longest texts (a wide label
    column, narrow figure columns). Sets a fixed layout with those widths; returns them."""
    char = (
        0.6 * font_size * 20
    )  # an average character of Arial (é 0.556 em, capitals 0.667), in twips
    padding = 2 * 120  # the cell margins (108 twips each), and a little room
    columns = list(zip(*([cell.text for cell in row.cells] for row in table.rows), strict=False))
    minimum = [
        max((len(w) for t in c for w in t.split()), default=1) * char + padding for c in columns
    ]
    wanted = [max((min(len(t), 80) for t in c), default=1) * char + padding for c in columns]
    wanted = [max(w, m) for w, m in zip(wanted, minimum, strict=True)]
    if sum(wanted) <= width_twips:
        widths = [w * width_twips / sum(wanted) for w in wanted]
    elif sum(minimum) >= width_twips:
        widths = [m * width_twips / sum(minimum) for m in minimum]
    else:
        extra = [w - m for w, m in zip(wanted, minimum, strict=True)]
        room = width_twips - sum(minimum)
        widths = [m + room * e / sum(extra) for m, e in zip(minimum, extra, strict=True)]
    widths = [int(w) for w in widths]
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(sum(widths)))
    total.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table_property(table, total)
    table_property(table, layout)
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths, strict=False):
        column.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Twips(width)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(font_size)
    return widths
