"""The annual report DOCX: structure, figures, charts as images, changes and decisions."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from engagements.choices import CommitmentStatus as S
from engagements.models import Commitment
from monitoring.models import (
    CommitteeMeeting,
    Decision,
    Indicator,
    IndicatorValue,
    MeetingRecord,
    ReviewCampaign,
)
from monitoring.report import render_report_docx
from monitoring.services import campaign_close

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_campaign(small):
    """Campaign 2030 closed, then one change, then campaign 2031 with a meeting and a decision."""
    first = ReviewCampaign.objects.create(
        charter=small.charter,
        year=2030,
        deadline=small.day(-5),
        opened_at=timezone.now() - datetime.timedelta(days=30),
    )
    campaign_close(campaign=first, user=None)
    Commitment.objects.filter(pk=small.c3.pk).update(status=S.IN_PROGRESS)
    second = ReviewCampaign.objects.create(
        charter=small.charter, year=2031, deadline=small.day(20), opened_at=timezone.now()
    )
    meeting = CommitteeMeeting.objects.create(date=small.today, title="Comité de suivi")
    MeetingRecord.objects.create(meeting=meeting, charter=small.charter, campaign=second)
    decision = Decision.objects.create(meeting=meeting, text="Débloquer le signalement | CAF")
    decision.actions.add(small.a2)
    decision.commitments.add(small.c3)
    indicator = Indicator.objects.create(name="Nombre de saisines test", unit="saisines")
    IndicatorValue.objects.create(indicator=indicator, year=2030, value=120, source="CCAPEX")
    IndicatorValue.objects.create(indicator=indicator, year=2031, value=95, source="CCAPEX")
    return second


def test_report_structure(second_campaign, small):
    data = render_report_docx(second_campaign)
    document = Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Synthèse",
        "Avancement par orientation",
        "Avancement par partenaire",
        "Ce qui a changé depuis le bilan précédent",
        "Indicateurs",
        "Décisions du comité de suivi",
    ]
    assert document.core_properties.title == "Bilan annuel 2031 — Charte de test"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "7 engagements : 2 réalisés (29 %), 2 en retard, 0 bloqués" in text
    # (pandoc's French typography: ’ for ').
    assert "Depuis le bilan 2030, 1 engagement a changé de statut ou d’avancement." in text
    assert "passé de « bloqué » à « en cours »" in text
    assert "Débloquer le signalement | CAF" in text
    assert "Cette décision concerne : action 2, l’engagement de Alpha (action 2)." in text

    tables = {tuple(c.text for c in t.rows[0].cells[:2]): t for t in document.tables}
    assert list(tables) == [
        ("Orientation", "Total"),
        ("Partenaire", "Total"),
        ("Indicateur", "Valeur 2031"),
    ]
    orientation_rows = [[c.text for c in row.cells] for row in tables["Orientation", "Total"].rows]
    assert orientation_rows[1][:2] == [str(small.o1), "4"]
    assert [r.cells[0].text for r in tables["Partenaire", "Total"].rows[1:]] == [
        "Alpha",
        "Bravo",
        "Charlie",
    ]
    indicators = [[c.text for c in row.cells] for row in tables["Indicateur", "Valeur 2031"].rows]
    assert indicators[1] == ["Nombre de saisines test (saisines)", "95", "—", "—", "CCAPEX"]

    media = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/")]
    assert len(media) == 3 and all(n.endswith(".png") for n in media)  # 2 status charts + 1 series


def test_report_uses_the_a4_reference_document(second_campaign):
    document = Document(io.BytesIO(render_report_docx(second_campaign)))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_report_download_and_access(client, second_campaign, committee_user, contributor_user):
    url = reverse("monitoring:report", args=[second_campaign.pk])
    client.force_login(committee_user)
    response = client.get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bilan-annuel-2031-' in response["Content-Disposition"]
    client.force_login(contributor_user)
    assert client.get(url).status_code == 403


def test_first_report_says_there_is_nothing_to_compare(small):
    campaign = ReviewCampaign.objects.create(
        charter=small.charter, year=2030, deadline=small.day(3), opened_at=timezone.now()
    )
    document = Document(io.BytesIO(render_report_docx(campaign)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Aucun bilan antérieur clôturé" in text
    assert "Aucune décision enregistrée." in text


@pytest.mark.parametrize("broken", ["missing", "failing"])
def test_report_without_pandoc_shows_a_french_message_in_the_admin(
    client, second_campaign, committee_user, monkeypatch, tmp_path, broken
):
    import pypandoc

    binary = tmp_path / "pandoc"
    if broken == "failing":
        binary.write_text("#!/bin/sh\necho 'pandoc: erreur simulée' >&2\nexit 3\n")
        binary.chmod(0o755)
    # pypandoc keeps the binary's path in a module global (set once, on first use).
    monkeypatch.setattr(pypandoc, "__pandoc_path", str(binary))
    client.force_login(committee_user)
    response = client.get(reverse("monitoring:report", args=[second_campaign.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(
        "monitoring:campaign", args=[second_campaign.pk]
    )
    messages = [str(message) for message in response.context["messages"]]
    assert any("Le bilan annuel n'a pas pu être produit" in message for message in messages)
