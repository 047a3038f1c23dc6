"""The DOCX for signature: structure checked with python-docx, PDF through LibreOffice."""

import datetime
import io
import shutil
import subprocess
import uuid

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from charter.choices import SignatoryRole
from engagements.models import Commitment
from publishing.docx.export import cache_path, export_docx, render_docx
from publishing.docx.markdown import (
    AUTHENTICATION_HEADING,
    FINGERPRINT_STYLE,
    SIGNATURES_HEADING,
    SIGNATURES_PLACEHOLDER_STYLE,
)
from publishing.services import version_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(version_2017):
    exported = export_docx(version_2017.snapshot, fingerprint=version_2017.fingerprint)
    return Document(str(exported.path))


def _headings(document, level):
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _section(document, title):
    """Paragraphs between the level-1 heading `title` and the next level-1 heading."""
    inside, result = False, []
    for paragraph in document.paragraphs:
        if paragraph.style.name == "Heading 1":
            inside = paragraph.text == title
            continue
        if inside:
            result.append(paragraph)
    return result


def test_one_heading_per_orientation_and_action(document, version_2017):
    orientations = version_2017.snapshot["orientations"]
    level1 = _headings(document, 1)
    expected = [f"Orientation {o['number']} : {o['title']}" for o in orientations]
    assert [h for h in level1 if h.startswith("Orientation ")] == expected
    # Order of the web page: preamble, orientations, engagements annex, declarations, lexicon,
    # mayors, signatures.
    # No preamble in the demo charter: its part is not printed empty.
    has_preamble = bool(version_2017.snapshot["charter"]["introduction"].strip())
    assert level1[0] == ("Préambule" if has_preamble else "Dispositions générales")
    assert level1.index("Annexe 1 – Engagements des partenaires") < level1.index(
        "Déclarations des signataires"
    )
    assert level1.index("Déclarations des signataires") < level1.index(
        "Annexe 2 – Lexique et sigles"
    )
    assert level1[-2:] == [SIGNATURES_HEADING, AUTHENTICATION_HEADING]
    for orientation in orientations:
        title = f"Orientation {orientation['number']} : {orientation['title']}"
        actions = [p.text for p in _section(document, title) if p.style.name == "Heading 2"]
        assert len(actions) == len(orientation["actions"])


def test_engagements_annex_nests_partner_orientation_action(document, version_2017):
    annex = _section(document, "Annexe 1 – Engagements des partenaires")
    partners = {c["partner"] for c in version_2017.snapshot["commitments"]}
    assert {p.text for p in annex if p.style.name == "Heading 2"} == partners
    assert any(p.style.name == "Heading 4" and p.text.startswith("Action ") for p in annex)
    # A commitment with its own sub-list keeps it as a nested list (level 1).
    nested = next(p for p in annex if p.text.startswith("les occupants sans droit ni titre"))
    assert nested._p.find(".//" + qn("w:ilvl")).get(qn("w:val")) == "1"


def test_one_signature_block_per_signatory_copilots_first(document, version_2017):
    table = document.tables[-1]
    blocks = [row.cells[0].text for row in table.rows]
    signatories = version_2017.snapshot["signatories"]
    assert len(blocks) == len(signatories) == 6
    assert all(b.endswith("Co-pilote de la charte") for b in blocks[:2])
    assert not any(b.endswith("Co-pilote de la charte") for b in blocks[2:])
    assert all(row.cells[1].text == "Signature et cachet" for row in table.rows)
    assert [s["role"] for s in signatories[:2]] == [SignatoryRole.COPILOT] * 2


def test_lexicon_table_has_one_row_per_entry(document, version_2017):
    lexicon = version_2017.snapshot["lexicon"]
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Sigle ou terme")
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(lexicon) == 7
    expansions = dict(rows)
    assert expansions["CAF"].startswith("Caisse d")  # acronyms are expanded


def test_header_footer_fingerprint_a4_toc_and_page_numbers(document, version_2017):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    header = section.header.paragraphs[0].text
    assert header == f"{version_2017.snapshot['charter']['title']} — Charte 2017"
    footer = "\n".join(p.text for p in section.footer.paragraphs)
    assert f"Empreinte {version_2017.fingerprint[:12]} — Page " in footer
    footer_xml = section.footer._element.xml
    assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml
    assert 'TOC \\o "1-2"' in document.element.xml  # the table of contents field
    assert document.core_properties.keywords == f"SHA-256 {version_2017.fingerprint}"


def test_table_of_contents_is_prefilled_with_the_outline(document):
    # The TOC lives in a content control (w:sdt), outside document.paragraphs.
    paragraphs = [Paragraph(p, document) for p in document.element.body.iter(qn("w:p"))]
    toc1 = [p.text for p in paragraphs if p.style.name == "TOC 1"]
    toc2 = [p.text for p in paragraphs if p.style.name == "TOC 2"]
    assert toc1 == _headings(document, 1)
    assert toc2 == _headings(document, 2)
    # Each entry links to its heading's bookmark.
    links = document.element.body.findall(".//" + qn("w:hyperlink"))
    assert len([link for link in links if link.get(qn("w:anchor"))]) >= len(toc1) + len(toc2)


def test_repeated_exports_come_from_the_fingerprint_cache(version_2017, charter_page, superuser):
    first = export_docx(version_2017.snapshot, fingerprint=version_2017.fingerprint)
    assert not first.cached and first.path == cache_path(version_2017.fingerprint)
    mtime = first.path.stat().st_mtime_ns
    second = export_docx(version_2017.snapshot, fingerprint=version_2017.fingerprint)
    assert second.cached and second.path.stat().st_mtime_ns == mtime
    other = version_create(
        charter=charter_page,
        name="Avenant n°1 2020",
        effective_date=datetime.date(2020, 6, 1),
        user=superuser,
    )
    third = export_docx(other.snapshot, fingerprint=other.fingerprint)
    assert not third.cached and third.path != first.path


def test_a_versions_docx_never_changes_with_live_content(version_2017, charter_page):
    def body_text(data: bytes) -> str:
        return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)

    before = body_text(render_docx(version_2017.snapshot, fingerprint=version_2017.fingerprint))
    Commitment.objects.for_charter(charter_page).update(text="Texte remplacé")
    after = body_text(render_docx(version_2017.snapshot, fingerprint=version_2017.fingerprint))
    assert before == after and "Texte remplacé" not in after


def test_user_markup_cannot_inject_raw_openxml_or_headings(version_2017):
    snapshot = version_2017.snapshot
    snapshot["commitments"][0]["text"] = (
        "```{=openxml}\n<w:p><w:r><w:t>INJECTÉ</w:t></w:r></w:p>\n```\n\n"
        "# Faux titre\n\n<b>gras</b>"
    )
    document = Document(io.BytesIO(render_docx(snapshot, fingerprint="0" * 64)))
    texts = [p.text for p in document.paragraphs]
    assert "INJECTÉ" not in texts
    assert "Faux titre" not in _headings(document, 1)
    assert "<b>" not in document.element.xml


@pytest.mark.parametrize("style", [SIGNATURES_PLACEHOLDER_STYLE, FINGERPRINT_STYLE])
def test_user_markup_cannot_claim_the_document_s_own_styles(version_2017, style):
    """A fenced div or a bracketed span with custom-style in user text would let a commitment
    pose as the signatures' placeholder (the signature table would land in it) or as the
    fingerprint; the text stays text."""
    snapshot = version_2017.snapshot
    snapshot["commitments"][0]["text"] = (
        f'::: {{custom-style="{style}"}}\nFAUX BLOC\n:::\n\n[FAUSSE ZONE]{{custom-style="{style}"}}'
    )
    document = Document(io.BytesIO(render_docx(snapshot, fingerprint="0" * 64)))
    styled = [p.text for p in document.paragraphs if p.style.name == style]
    assert not any("FAUX" in text or "FAUSSE" in text for text in styled), styled
    runs = [r.text for p in document.paragraphs for r in p.runs if r.style.name.startswith(style)]
    assert not any("FAUSSE" in text for text in runs), runs
    text = "\n".join(p.text for p in document.paragraphs)
    assert "FAUX BLOC" in text and "FAUSSE ZONE" in text


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdfinfo")),
    reason="LibreOffice (soffice) et poppler (pdfinfo) sont nécessaires : "
    "apt-get install libreoffice-writer-nogui poppler-utils",
)
def test_docx_converts_to_a_sane_a4_pdf(version_2017, tmp_path):
    exported = export_docx(version_2017.snapshot, fingerprint=version_2017.fingerprint)
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(exported.path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / exported.path.with_suffix(".pdf").name
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    pages = int(fields["Pages"])
    # 3 orientations, 6 actions, 20 commitments, 7 lexicon rows, 6 signature blocks.
    assert 4 <= pages <= 20, pages
    assert "(A4)" in fields["Page size"]


def test_post_processing_does_not_resolve_each_paragraphs_style(version_2017, monkeypatch):
    """Finding the signatures placeholder reads the style id written on each paragraph: looking
    the default style up for every paragraph (python-docx's `Paragraph.style`) took seconds on a
    10,000-commitment charter. The signature table still replaces the placeholder."""
    from docx.parts.document import DocumentPart

    calls = []
    get_style = DocumentPart.get_style

    def counting(self, style_id, style_type):
        calls.append(style_id)
        return get_style(self, style_id, style_type)

    monkeypatch.setattr(DocumentPart, "get_style", counting)
    data = render_docx(version_2017.snapshot, fingerprint=version_2017.fingerprint)
    monkeypatch.undo()
    paragraphs = Document(io.BytesIO(data)).paragraphs
    assert len(paragraphs) > 50
    assert len(calls) < 10
    assert not [p for p in paragraphs if p.style.name == "Emplacement des signatures"]
    assert Document(io.BytesIO(data)).tables[-1].rows[0].cells[1].text == "Signature et cachet"
