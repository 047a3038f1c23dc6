"""The annual report as a committee reads it (issue 16): cover, « Sommaire », tables fitted to
their content, one caption each, sections that flow, header and footer, indicators of the year;
and through LibreOffice, the expected pages with no heading left alone on one."""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from charter.choices import SignatoryRole
from charter.models import Signatory
from engagements.tests.factories import PartnerFactory
from monitoring.models import (
    CommitteeMeeting,
    Decision,
    IndicatorTarget,
    IndicatorValue,
    MeetingRecord,
    ReviewCampaign,
)
from monitoring.report import render_report_docx
from monitoring.tests.factories import IndicatorFactory
from publishing.docx.export import Presentation

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(small):
    """Campaign 2031 of the small charter, its committee on 12 March 2032, two co-pilots."""
    for rank, name in enumerate(("Préfecture de Testville", "Département de Testville")):
        Signatory.objects.create(
            charter=small.charter,
            partner=PartnerFactory(name=name),
            role=SignatoryRole.COPILOT,
            sort_order=rank,
        )
    campaign = ReviewCampaign.objects.create(
        charter=small.charter, year=2031, deadline=small.day(10), opened_at=timezone.now()
    )
    meeting = CommitteeMeeting.objects.create(date=datetime.date(2032, 3, 12))
    MeetingRecord.objects.create(meeting=meeting, charter=small.charter, campaign=campaign)
    Decision.objects.create(meeting=meeting, text="Le comité adopte le bilan 2031.")
    return campaign


def _document(campaign) -> Document:
    return Document(io.BytesIO(render_report_docx(campaign, look=Presentation())))


def _paragraphs(document):
    return [Paragraph(p, document) for p in document.element.body.iter(qn("w:p"))]


def test_cover_names_charter_year_committee_departement_and_copilots(campaign):
    document = _document(campaign)
    cover = []
    for paragraph in _paragraphs(document):
        if paragraph.style.name == "TOC Heading":
            break
        cover.append(paragraph.text)
    assert cover[:2] == ["Bilan annuel 2031", "Charte de test"]
    assert "Département : Testville" in cover
    assert "Co-pilotes : Préfecture de Testville, Département de Testville" in cover
    assert "Comité de suivi du 12 mars 2032" in cover


def test_sommaire_is_french_and_prefilled(campaign):
    document = _document(campaign)
    paragraphs = _paragraphs(document)
    assert [p.text for p in paragraphs if p.style.name == "TOC Heading"] == ["Sommaire"]
    assert not [p for p in paragraphs if "Table of Contents" in p.text]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in paragraphs if p.style.name == "TOC 1"] == headings
    assert not [p for p in paragraphs if p.style.name == "TOC 2"]  # one level
    assert 'TOC \\o "1-1"' in document.element.xml  # Word refreshes it with page numbers


def test_header_footer_with_page_numbers_and_date(campaign):
    section = _document(campaign).sections[0]
    assert section.header.paragraphs[0].text == "Bilan annuel 2031 — Charte de test"
    footer = section.footer.paragraphs[0]
    today = timezone.localdate()
    assert footer.text.startswith(f"Édité le {today.day} ")
    xml = section.footer._element.xml
    assert " PAGE " in xml and " NUMPAGES " in xml
    assert section.different_first_page_header_footer  # a bare cover


def test_tables_fit_their_content_with_one_caption_each(campaign):
    document = _document(campaign)
    assert len(document.tables) == 2  # by orientation, by partner (no indicator entered)
    for table in document.tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert len(set(grid)) > 1, "columns of equal width"
        assert grid[0] > grid[1]  # the label column is wider than the figures beside it
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    captions = [p.text for p in document.paragraphs if p.style.name == "Table Caption"]
    assert captions == ["Avancement par orientation", "Avancement par partenaire"]
    assert not [p for p in document.paragraphs if p.style.name == "Image Caption"]


def test_sections_flow_and_empty_ones_take_one_line(campaign):
    document = _document(campaign)
    assert not document.styles["Heading 1"].paragraph_format.page_break_before
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    # Only the first section opens a page (after the « Sommaire »).
    assert [bool(h.paragraph_format.page_break_before) for h in headings] == [True] + [False] * 5
    texts = [p.text for p in document.paragraphs]
    after = texts[texts.index("Indicateurs") + 1]
    assert after == "Aucune valeur d’indicateur n’a été saisie pour 2031."
    assert texts[texts.index("Indicateurs") + 2] == "Décisions du comité de suivi"


def test_indicators_of_the_year_against_their_targets_with_source(campaign):
    reached = IndicatorFactory(name="Saisines de la commission", unit="saisines")
    IndicatorValue.objects.create(indicator=reached, year=2030, value=100, source="CCAPEX")
    IndicatorValue.objects.create(indicator=reached, year=2031, value=120, source="CCAPEX")
    IndicatorTarget.objects.create(indicator=reached, year=2031, value=110)
    target_only = IndicatorFactory(name="Ménages relogés")
    IndicatorTarget.objects.create(indicator=target_only, year=2031, value=40)
    other_year = IndicatorFactory(name="Assignations")
    IndicatorValue.objects.create(indicator=other_year, year=2029, value=7, source="Tribunal")
    document = _document(campaign)
    table = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["Indicateur", "Valeur 2031", "Cible 2031", "Écart", "Source"],
        ["Ménages relogés", "—", "40", "—", "non précisée"],
        ["Saisines de la commission (saisines)", "120", "110", "10", "CCAPEX"],
    ]


needs_libreoffice = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) et poppler (pdftotext) sont nécessaires.",
)


@needs_libreoffice
def test_libreoffice_lays_it_out_without_a_lonely_heading(campaign, tmp_path):
    source = tmp_path / "bilan.docx"
    document = _document(campaign)
    document.save(source)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "bilan.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = text.split("\f")[:-1]
    # Cover, « Sommaire », then the six sections flowing on one page (before: six pages).
    assert len(pages) == 3
    assert "Sommaire" in pages[1] and "Synthèse" in pages[1]  # entries present when opened
    assert re.search(r"Page 2 sur 3", pages[1])
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for number, page in enumerate(pages[2:], start=3):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines[1:] if not re.search(r"Page \d+ sur \d+", line)]
        assert not all(line in headings for line in body), f"page {number}: a heading alone"
    # A heading never ends a page: the next line is on the same page.
    for page in pages[2:]:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[-2] not in headings


@needs_libreoffice
def test_report_pdf_download_beside_the_docx(client, campaign, committee_user, contributor_user):
    from django.urls import reverse

    client.force_login(committee_user)
    page = client.get(reverse("monitoring:campaign", args=[campaign.pk])).content.decode()
    pdf_url = reverse("monitoring:report_pdf", args=[campaign.pk])
    assert reverse("monitoring:report", args=[campaign.pk]) in page and pdf_url in page
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert b"pdfaid:part" in response.content
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert re.search(r"Synthèse\.{5,}\s*3\n", text)  # the Sommaire gives page numbers
    assert 'filename="bilan-annuel-2031-' in response["Content-Disposition"]
    client.force_login(contributor_user)
    assert client.get(pdf_url).status_code == 403


def test_report_without_libreoffice_says_so_and_keeps_the_docx(
    client, campaign, committee_user, settings
):
    from django.urls import reverse

    settings.LIBREOFFICE_BINARY = "libreoffice-absent-de-ce-serveur"
    client.force_login(committee_user)
    page = client.get(reverse("monitoring:campaign", args=[campaign.pk])).content.decode()
    assert reverse("monitoring:report_pdf", args=[campaign.pk]) not in page
    assert "LibreOffice, qui la produit, n&#x27;y est pas installé" in page
    assert "Télécharger le bilan annuel (DOCX)" in page
    response = client.get(reverse("monitoring:report_pdf", args=[campaign.pk]), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("n'y est pas installé" in m for m in messages)
