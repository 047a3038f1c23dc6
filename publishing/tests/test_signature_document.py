"""The charter for signature (issue 16), on a small charter built here: cover, empty sections,
signature pages, authentication page, and the PDF/A made by LibreOffice."""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from PIL import Image

from charter.choices import DocumentType, SignatoryRole
from charter.models import ActionPage, CharterPage, OrientationPage, Signatory
from charter.selectors import charters_home, export_checklist
from engagements.tests.factories import CommitmentFactory, PartnerFactory
from publishing.docx.export import (
    SIGNATURE_HEIGHT,
    Logo,
    Presentation,
    export_docx,
    render_docx,
)
from publishing.docx.markdown import AUTHENTICATION_HEADING, SIGNATURES_HEADING
from publishing.docx.pdf import export_pdf
from publishing.services import version_create
from publishing.snapshot import build_snapshot, fingerprint

pytestmark = pytest.mark.django_db

needs_libreoffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdfinfo") and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) et poppler (pdfinfo, pdftotext) sont nécessaires : "
    "apt-get install libreoffice-writer-nogui poppler-utils",
)
PREFET = "Le préfet de la région Sud, préfet des Bouches-du-Rhône"
PRESIDENTE = "La présidente du conseil départemental des Bouches-du-Rhône"


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 120), colour).save(buffer, "PNG")
    return buffer.getvalue()


LOGOS = Presentation(
    logos=(Logo(_png("navy"), "Logo de la préfecture"), Logo(_png("red"), "Logo du Département")),
    marianne=True,
)


@pytest.fixture
def charter(db):
    """One orientation, two actions, three signatories (two co-pilots), two commitments."""
    page = CharterPage(
        title="Charte de test des documents",
        slug="charte-test-documents",
        territory="Bouches-du-Rhône",
        document_type=DocumentType.CHARTER,
        start_date=datetime.date(2031, 1, 1),
        end_date=datetime.date(2036, 12, 31),
        introduction="La charte engage ses signataires à prévenir les expulsions.",
        signing_place="Marseille",
        original_copies=3,
    )
    charters_home().add_child(instance=page)
    orientation = OrientationPage(title="Prévenir tôt", slug="o1", number=1)
    page.add_child(instance=orientation)
    actions = []
    for number, title in ((1, "Informer les locataires"), (2, "Signaler les impayés")):
        action = ActionPage(
            title=title,
            slug=f"a{number}",
            number=number,
            code=str(number),
            objectives=f"Objectif de l'action {number} : toucher chaque ménage concerné.",
        )
        orientation.add_child(instance=action)
        actions.append(action)
    state, department, association = (
        PartnerFactory(name="Préfecture des Bouches-du-Rhône", short_name="Préfecture"),
        PartnerFactory(name="Département des Bouches-du-Rhône", short_name="CD13"),
        PartnerFactory(name="Association d'aide au logement", short_name="AAL"),
    )
    for rank, (partner, role, title) in enumerate(
        (
            (state, SignatoryRole.COPILOT, PREFET),
            (department, SignatoryRole.COPILOT, PRESIDENTE),
            (association, SignatoryRole.PARTNER, ""),
        )
    ):
        Signatory.objects.create(
            charter=page, partner=partner, role=role, authority_title=title, sort_order=rank
        )
    CommitmentFactory(partner=department, action=actions[0], text="Diffuser un guide.")
    CommitmentFactory(partner=association, action=actions[1], text="Accompagner les ménages.")
    return page


def _snapshot(charter):
    snapshot = build_snapshot(charter=charter, name="Charte 2031", date=datetime.date(2031, 1, 1))
    return snapshot, fingerprint(snapshot)


def _document(charter, look=LOGOS):
    snapshot, digest = _snapshot(charter)
    return Document(
        io.BytesIO(render_docx(snapshot, fingerprint=digest, presentation=look))
    ), digest


def _all_paragraphs(document):
    return [Paragraph(p, document) for p in document.element.body.iter(qn("w:p"))]


def _cover(document):
    """The paragraphs before the table of contents."""
    cover = []
    for paragraph in _all_paragraphs(document):
        if paragraph.style.name == "TOC Heading":
            break
        cover.append(paragraph)
    return cover


def test_cover_shows_logos_marianne_title_period_and_no_full_fingerprint(charter):
    document, digest = _document(charter)
    cover = _cover(document)
    text = "\n".join(p.text for p in cover)
    assert "Charte de test des documents" in text
    assert "Bouches-du-Rhône" in text and "Période 2031 – 2036" in text
    assert "Version « Charte 2031 » du 1er janvier 2031" in text
    assert "RÉPUBLIQUE" in text and "Fraternité" in text  # the Marianne block (State theme)
    assert digest[:12] not in text  # the fingerprint is on the last page, not on the cover
    pictures = [p for p in cover if p._p.findall(".//" + qn("wp:inline"))]
    assert len(pictures) == 1 and len(pictures[0]._p.findall(".//" + qn("wp:inline"))) == 2
    descriptions = [e.get("descr") for e in pictures[0]._p.iter(qn("wp:docPr"))]
    assert descriptions == ["Logo de la préfecture", "Logo du Département"]


def test_cover_without_logos_nor_marianne_under_the_neutral_theme(charter):
    document, _digest = _document(charter, Presentation())
    text = "\n".join(p.text for p in _cover(document))
    assert "RÉPUBLIQUE" not in text
    assert not document.inline_shapes


def test_authentication_page_holds_the_fingerprint_and_footers_its_short_form(charter):
    document, digest = _document(charter)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[-2:] == [SIGNATURES_HEADING, AUTHENTICATION_HEADING]
    last = headings.index(AUTHENTICATION_HEADING)
    after = document.paragraphs[
        [p.text for p in document.paragraphs].index(AUTHENTICATION_HEADING) :
    ]
    assert last and any(p.text == digest for p in after)
    section = document.sections[0]
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith(f"Empreinte {digest[:12]} — Page ")
    assert digest not in section.footer._element.xml
    assert " PAGE " in section.footer._element.xml and " NUMPAGES " in section.footer._element.xml
    assert section.different_first_page_header_footer  # nothing printed over the cover


def test_toc_is_french_and_prefilled(charter):
    document, _digest = _document(charter)
    paragraphs = _all_paragraphs(document)
    assert [p.text for p in paragraphs if p.style.name == "TOC Heading"] == ["Sommaire"]
    # (Word's own name of the content control, docPartGallery, is not text.)
    assert not [p for p in paragraphs if "Table of Contents" in p.text]
    toc = [p.text for p in paragraphs if p.style.name == "TOC 1"]
    assert toc == [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert toc[0] == "Préambule" and "Annexe 1 – Engagements des partenaires" in toc


def test_empty_sections_are_left_out_and_the_checklist_says_so(charter):
    CharterPage.objects.filter(pk=charter.pk).update(introduction="", signing_place="")
    charter.refresh_from_db()
    document, _digest = _document(charter)
    text = "\n".join(p.text for p in document.paragraphs)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Préambule" not in headings
    assert "n'est pas renseigné" not in text and "est vide" not in text
    assert not any("Lexique" in h or "Maires" in h for h in headings)  # empty annexes left out
    assert "Fait à ……………, le ……………, en 3 exemplaires originaux." in text
    missing = {item.key: item.hint for item in export_checklist(charter=charter) if not item.ok}
    assert set(missing) == {"introduction", "authority_titles", "signing_place"}
    assert "Association d'aide au logement" in missing["authority_titles"]


def test_signature_blocks_never_split_with_authority_title_and_room_to_sign(charter):
    CharterPage.objects.filter(pk=charter.pk).update(signing_date=datetime.date(2031, 2, 3))
    charter.refresh_from_db()
    document, _digest = _document(charter)
    texts = [p.text for p in document.paragraphs]
    signed_at = document.paragraphs[texts.index(SIGNATURES_HEADING) + 1]
    assert signed_at.text == "Fait à Marseille, le 3 février 2031, en 3 exemplaires originaux."
    assert signed_at.style.paragraph_format.keep_with_next
    table = document.tables[-1]
    assert signed_at._p.getnext() is table._tbl  # the line, then the blocks
    rows = table.rows
    assert [row.cells[0].paragraphs[0].text for row in rows] == [
        PREFET,
        PRESIDENTE,
        "Pour Association d'aide au logement (AAL)",  # no title yet: the checklist says so
    ]
    assert "Préfecture des Bouches-du-Rhône (Préfecture)" in rows[0].cells[0].text
    assert "Co-pilote de la charte" in rows[1].cells[0].text
    for row in rows:
        properties = row._tr.trPr
        assert properties.find(qn("w:cantSplit")) is not None  # a block never splits
        height = properties.find(qn("w:trHeight"))
        assert height.get(qn("w:hRule")) == "atLeast"
        assert int(height.get(qn("w:val"))) >= Cm(4).twips  # ≥ 4 cm to sign and stamp
        assert row.cells[1].text == "Signature et cachet"
    # Three blocks fill an A4 page (text height 255 mm), never four; never fewer than two.
    assert 255 / 4 < SIGNATURE_HEIGHT.mm <= 255 / 3 - 10


def _pdf_pages(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def _lonely_headings(pages: list[str], headings: list[str]) -> list[int]:
    """Numbers of the pages whose only text (header and footer aside) is headings."""
    lonely = []
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines[1:] if not re.search(r"Page \d+ sur \d+", line)]
        if body and all(any(line in h for h in headings) for line in body):
            lonely.append(number)
    return lonely


@needs_libreoffice
def test_pdf_a_carries_the_same_fingerprint_and_expected_pages(charter, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    snapshot, digest = _snapshot(charter)
    exported = export_pdf(snapshot, fingerprint=digest)
    data = exported.path.read_bytes()
    assert data.startswith(b"%PDF") and b"pdfaid:part" in data  # PDF/A
    pages = _pdf_pages(data, tmp_path)
    # Cover, Sommaire, préambule, orientation, annex 1, signatures (3 blocks), authentication.
    assert len(pages) == 7
    assert digest in pages[-1] and digest not in pages[0]
    assert f"Empreinte {digest[:12]}" in pages[1]
    assert "Signature et cachet" in pages[5] and pages[5].count("Signature et cachet") == 3
    # The « Sommaire » of the PDF gives each heading's page (after dot leaders).
    assert re.search(r"Signatures\.{5,}\s*6\n", pages[1])
    assert re.search(r"Authentification du document\.{5,}\s*7\n", pages[1])
    document = Document(str(export_docx(snapshot, fingerprint=digest).path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert _lonely_headings(pages, headings) == []
    assert export_pdf(snapshot, fingerprint=digest).cached


def test_public_page_offers_the_pdf_beside_the_docx(client, charter, superuser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    version = version_create(
        charter=charter,
        name="Charte 2031",
        effective_date=datetime.date(2031, 1, 1),
        user=superuser,
        is_public=True,
    )
    detail = reverse("publishing:version_detail", args=[charter.slug, version.pk])
    pdf_url = reverse("publishing:version_pdf", args=[charter.slug, version.pk])
    page = client.get(detail).content.decode()
    assert reverse("publishing:version_docx", args=[charter.slug, version.pk]) in page
    assert pdf_url in page and "Télécharger la charte (PDF/A" in page
    settings.LIBREOFFICE_BINARY = "libreoffice-absent-de-ce-serveur"
    page = client.get(detail).content.decode()
    assert pdf_url not in page
    assert "LibreOffice, qui la produit, n&#x27;y est pas installé" in page
    assert "Télécharger la charte (DOCX" in page  # the DOCX stays
    response = client.get(pdf_url)
    assert response.status_code == 503
    assert "LibreOffice" in response.content.decode()
    # The admin's listing offers both; without LibreOffice its PDF link says why, in French.
    client.force_login(superuser)
    admin_pdf = reverse("charter_versions:pdf", args=[version.pk])
    assert admin_pdf in client.get(reverse("charter_versions:index")).content.decode()
    response = client.get(admin_pdf, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("n'y est pas installé" in m for m in messages)


@needs_libreoffice
def test_pdf_download(client, charter, superuser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    version = version_create(
        charter=charter,
        name="Charte 2031",
        effective_date=datetime.date(2031, 1, 1),
        user=superuser,
        is_public=True,
    )
    response = client.get(reverse("publishing:version_pdf", args=[charter.slug, version.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        'filename="charte-de-test-des-documents-charte-2031.pdf"'
        in (response["Content-Disposition"])
    )
    data = b"".join(response.streaming_content)
    assert version.fingerprint in "".join(_pdf_pages(data, tmp_path))


def test_logos_set_in_wagtail_settings_reach_the_cover_and_the_cache_key(
    charter, settings, tmp_path
):
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image as WagtailImage

    from publishing.models import DocumentSettings

    settings.MEDIA_ROOT = tmp_path / "media"
    snapshot, digest = _snapshot(charter)
    plain = export_docx(snapshot, fingerprint=digest)
    assert not Document(str(plain.path)).inline_shapes
    images = [
        WagtailImage.objects.create(
            title=title, file=ImageFile(io.BytesIO(_png(colour)), name=f"{colour}.png")
        )
        for title, colour in (("Préfecture", "navy"), ("Département", "red"))
    ]
    DocumentSettings.objects.update_or_create(
        pk=DocumentSettings.load().pk,
        defaults={"state_logo": images[0], "department_logo": images[1]},
    )
    with_logos = export_docx(snapshot, fingerprint=digest)
    assert with_logos.path != plain.path and not with_logos.cached  # a new file
    document = Document(str(with_logos.path))
    cover = _cover(document)
    assert sum(len(p._p.findall(".//" + qn("wp:inline"))) for p in cover) == 2
    assert export_docx(snapshot, fingerprint=digest).cached
