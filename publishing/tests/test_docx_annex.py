"""The engagements annex written without pandoc (publishing/docx/annex.py, issue 19): the same
document as pandoc's, pandoc's input no longer growing with the plain commitments."""

import copy
import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from publishing.docx import export
from publishing.docx.annex import DirectAnnex, DirectAnnexError, plain_paragraphs
from publishing.docx.export import render_docx

pytestmark = pytest.mark.django_db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Commitment texts of every shape: plain (one to three paragraphs, French punctuation, no-break
# spaces, quotes) and what pandoc must read (emphasis, nested list, entity, soft hyphen, a line
# starting like a list marker, a line break).
TEXTS = [
    "Informer les ménages des aides existantes",
    "Saisir la CCAPEX dès le commandement de payer.\n\nOrienter vers l'ADIL.",
    'Objectif\u00a0: 50\u202f% des « ménages » en 2026 -- voir "bilan"...\n\nSuite.\n\nFin !',
    "Un texte **important** et *souligné*",
    "Saisir la CCAPEX pour :\n\n- les occupants sans droit ni titre,\n- les locataires",
    "Recherche &amp; développement",
    "Mot coupé : pré\u00adven\u00adtion",
    "1. premier point",
    "Ligne un\nligne deux",
]


def _normalised(data: bytes) -> str:
    """word/document.xml without bookmarks (names and places), whitespace between elements,
    with the lists numbered by first use (their bullet definitions named)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
        numbering = etree.fromstring(archive.read("word/numbering.xml"))
    abstract = {
        num.get(f"{W}numId"): num.find(f"{W}abstractNumId").get(f"{W}val")
        for num in numbering.iter(f"{W}num")
    }
    for element in list(root.iter(f"{W}bookmarkStart", f"{W}bookmarkEnd")):
        element.getparent().remove(element)
    numbers: dict[str, str] = {}
    for element in root.iter():
        element.attrib.pop(f"{W}anchor", None)
        if element.tag != f"{W}t" and element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
        if element.tag == f"{W}numId":
            value = element.get(f"{W}val")
            numbers.setdefault(value, f"{len(numbers)}-{abstract[value]}")
            element.set(f"{W}val", numbers[value])
    return etree.tostring(root, encoding="unicode")


@pytest.fixture
def snapshot(version_2017):
    snapshot = copy.deepcopy(version_2017.snapshot)
    commitments = snapshot["commitments"]
    for commitment, text in zip(commitments, TEXTS * 3, strict=False):
        commitment["text"] = text
    return snapshot


def test_plain_paragraphs_are_text_pandoc_writes_as_is():
    assert plain_paragraphs(TEXTS[1]) == [
        "Saisir la CCAPEX dès le commandement de payer.",
        "Orienter vers l'ADIL.",
    ]
    assert plain_paragraphs(TEXTS[2]) is not None
    assert [plain_paragraphs(text) for text in TEXTS[3:]] == [None] * 6
    assert plain_paragraphs("") is None


def test_direct_annex_is_the_document_pandoc_writes(snapshot, version_2017):
    direct = render_docx(snapshot, fingerprint=version_2017.fingerprint)
    converted = render_docx(snapshot, fingerprint=version_2017.fingerprint, direct_annex=False)
    assert _normalised(direct) == _normalised(converted)
    document = Document(io.BytesIO(direct))
    texts = [p.text for p in document.paragraphs]
    assert "Orienter vers l'ADIL." in texts and "Un texte important et souligné" in texts
    # Every « Sommaire » entry still links to a bookmark of the document.
    names = {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}
    anchors = [link.get(qn("w:anchor")) for link in document.element.body.iter(qn("w:hyperlink"))]
    assert anchors and set(anchors) <= names


def test_pandoc_reads_only_the_commitments_holding_markdown(snapshot, version_2017, monkeypatch):
    """Before: pandoc read every commitment (5 s of CPU at 10,000 commitments)."""
    inputs = []
    run_pandoc = export.run_pandoc

    def recording(*, args, stdin=b""):
        inputs.append((args, stdin.decode()))
        return run_pandoc(args=args, stdin=stdin)

    monkeypatch.setattr(export, "run_pandoc", recording)
    render_docx(snapshot, fingerprint=version_2017.fingerprint)
    [(args, markdown)] = inputs
    assert "Orienter vers l'ADIL" not in markdown and "Informer les ménages" not in markdown
    assert "**important**" in markdown and "pré\u00adven" in markdown
    annex = markdown.split("# Annexe 1 – Engagements des partenaires")[1].split("\n# ")[0]
    assert "\n## " not in annex and "\n#### " not in annex  # its headings are written directly
    # No image in the text: pandoc runs without the image filter (a walk over the document).
    assert not any("lua-filter" in arg for arg in args)

    # User text's images are reduced to their alt text before pandoc (strip_images); the
    # metadata (a title) can still hold one: then the filter runs.
    inputs.clear()
    snapshot["commitments"][0]["text"] = "Voir ![plan](/etc/passwd)"
    render_docx(snapshot, fingerprint=version_2017.fingerprint)
    assert not any("lua-filter" in arg for arg in inputs[0][0])
    inputs.clear()
    snapshot["charter"]["title"] = "Charte ![carte](/etc/passwd)"
    render_docx(snapshot, fingerprint=version_2017.fingerprint)
    assert any("no_server_images.lua" in arg for arg in inputs[0][0])


def test_a_heading_pandoc_would_read_sends_the_annex_to_pandoc(snapshot, version_2017):
    snapshot["commitments"][0]["partner"] = "Recherche &amp; logement"
    assert DirectAnnex.of(snapshot) is None
    direct = render_docx(snapshot, fingerprint=version_2017.fingerprint)
    converted = render_docx(snapshot, fingerprint=version_2017.fingerprint, direct_annex=False)
    assert _normalised(direct) == _normalised(converted)
    headings = [
        p.text for p in Document(io.BytesIO(direct)).paragraphs if p.style.name == "Heading 2"
    ]
    assert "Recherche & logement" in headings


def test_pandoc_writing_the_samples_otherwise_sends_the_annex_to_pandoc(
    snapshot, version_2017, monkeypatch, caplog
):
    def otherwise(*args, **kwargs):
        raise DirectAnnexError("pandoc écrit autrement")

    monkeypatch.setattr(DirectAnnex, "_templates", otherwise)
    direct = render_docx(snapshot, fingerprint=version_2017.fingerprint)
    converted = render_docx(snapshot, fingerprint=version_2017.fingerprint, direct_annex=False)
    assert _normalised(direct) == _normalised(converted)
    assert "convertie par pandoc" in caplog.text
