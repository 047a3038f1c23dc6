"""The point d'avancement is public and dated everywhere; the internal note is public nowhere."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from charter.roles import PARTNER_CONTRIBUTORS
from engagements.choices import CommitmentStatus, ProposalStatus
from engagements.models import Commitment, WorkspaceSettings
from engagements.services import (
    commitment_change_status,
    commitment_proposal_validate,
    commitment_submit_update,
    commitment_update,
)

from .factories import user_with_role

pytestmark = pytest.mark.django_db

SNIPPET = "wagtailsnippets_engagements_commitment"
NOTE = "Point d'avancement public ZKQV : convention signée avec la préfecture."
SECRET = "Note interne confidentielle XJWQ-5531"
REPORTED = datetime.datetime(2025, 2, 5, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def reported(own_commitment):
    """A CAF commitment with a public point d'avancement, an internal note and a fixed date."""
    commitment_update(
        commitment=own_commitment,
        user=None,
        status=CommitmentStatus.IN_PROGRESS,
        progress=30,
        narrative=NOTE,
        internal_note=SECRET,
        reason="Démarrage",
        expected_version=own_commitment.version,
    )
    Commitment.objects.filter(pk=own_commitment.pk).update(last_reported_at=REPORTED)
    own_commitment.refresh_from_db()
    return own_commitment


def csv_rows(client) -> list[dict]:
    content = client.get("/donnees/engagements.csv").content.decode()
    return list(csv.DictReader(io.StringIO(content)))


# --- The point d'avancement: public, with its date ------------------------------------------


def test_partner_page_shows_the_point_d_avancement_with_its_date(client, reported):
    html = client.get(reverse("engagements_public:partner", kwargs={"slug": "caf"})).content
    html = html.decode()
    assert "ZKQV" in html
    assert 'Point d\'avancement</strong> du <time datetime="2025-02-05">5 février 2025</time>' in (
        html
    )


def test_charter_and_action_pages_show_the_point_d_avancement_with_its_date(
    client, reported, charter_page
):
    for url in (charter_page.url, reported.action.url):
        html = client.get(url).content.decode()
        assert "ZKQV" in html, url
        assert '<time datetime="2025-02-05">5 février 2025</time>' in html, url


def test_open_data_files_and_api_carry_the_point_d_avancement_and_its_date(client, reported):
    row = next(r for r in csv_rows(client) if r["id"] == str(reported.pk))
    assert (row["point_avancement"], row["point_avancement_date"]) == (NOTE, "2025-02-05")

    records = client.get("/donnees/engagements.json").json()["engagements"]
    record = next(r for r in records if r["id"] == reported.pk)
    assert (record["point_avancement"], record["point_avancement_date"]) == (NOTE, "2025-02-05")

    item = client.get(f"/api/v2/engagements/{reported.pk}/").json()
    assert (item["point_avancement"], item["point_avancement_date"]) == (NOTE, "2025-02-05")

    schema = client.get("/donnees/schema-engagements.json").json()
    types = {field["name"]: field["type"] for field in schema["fields"]}
    assert types["point_avancement"] == "string"
    assert types["point_avancement_date"] == "date"


def test_a_commitment_never_reported_has_an_empty_date(client, own_commitment):
    Commitment.objects.filter(pk=own_commitment.pk).update(last_reported_at=None, narrative="")
    row = next(r for r in csv_rows(client) if r["id"] == str(own_commitment.pk))
    assert (row["point_avancement"], row["point_avancement_date"]) == ("", "")


def test_a_point_d_avancement_older_than_the_closing_shows_its_own_date(client, reported):
    commitment_change_status(
        commitment=reported,
        user=None,
        status=CommitmentStatus.ACHIEVED,
        reason="Convention signée",
        evidence_url="https://example.org/convention.pdf",
    )
    # The point d'avancement was written on 1 March 2024, the commitment achieved on 10 May 2025.
    history = reported.history.order_by("history_date", "history_id")
    *earlier, written, achieved = list(history)
    type(written).objects.filter(pk__in=[row.pk for row in earlier]).update(
        history_date=datetime.datetime(2024, 1, 2, 9, tzinfo=datetime.UTC)
    )
    type(written).objects.filter(pk=written.pk).update(
        history_date=datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC)
    )
    type(achieved).objects.filter(pk=achieved.pk).update(
        history_date=datetime.datetime(2025, 5, 10, 9, tzinfo=datetime.UTC)
    )
    html = client.get(reverse("engagements_public:partner", kwargs={"slug": "caf"})).content
    html = html.decode()
    assert '<time datetime="2024-03-01">1er mars 2024</time>' in html
    assert "antérieur au passage au statut « Réalisé »" in html
    assert '<time datetime="2025-05-10">10 mai 2025</time>' in html
    reported.refresh_from_db()
    assert reported.narrative == NOTE  # nothing changed in the data
    # The files and the API give the same date as the page.
    row = next(r for r in csv_rows(client) if r["id"] == str(reported.pk))
    assert row["point_avancement_date"] == "2024-03-01"
    item = client.get(f"/api/v2/engagements/{reported.pk}/").json()
    assert item["point_avancement_date"] == "2024-03-01"


def test_a_point_d_avancement_written_with_the_closing_is_not_flagged(client, own_commitment):
    commitment_update(
        commitment=own_commitment,
        user=None,
        status=CommitmentStatus.ACHIEVED,
        progress=100,
        narrative=NOTE,
        evidence_url="https://example.org/bilan.pdf",
        reason="Terminé",
        expected_version=own_commitment.version,
    )
    html = client.get(reverse("engagements_public:partner", kwargs={"slug": "caf"})).content
    assert "ZKQV" in html.decode()
    assert "antérieur au passage" not in html.decode()


def test_the_edit_form_says_the_point_d_avancement_is_public(client, own_commitment, caf):
    contributor = user_with_role(PARTNER_CONTRIBUTORS, partner=caf, username="contrib-note")
    client.force_login(contributor)
    html = client.get(reverse(f"{SNIPPET}:edit", args=[own_commitment.pk])).content.decode()
    assert "Rendu public sur le site, avec sa date" in html
    assert "Jamais publiée" in html  # the internal note's help text


# --- The internal note: never public ---------------------------------------------------------


def _public_urls(commitment, charter) -> dict[str, str]:
    return {
        "partenaire": reverse("engagements_public:partner", kwargs={"slug": "caf"}),
        "charte": charter.url,
        "action": commitment.action.url,
        "matrice": reverse("engagements_public:matrix", kwargs={"charter_slug": charter.slug}),
        "historique": reverse(
            "engagements_public:commitment_history", kwargs={"pk": commitment.pk}
        ),
        "recherche": reverse("pages:search") + "?q=confidentielle",
        "csv": "/donnees/engagements.csv",
        "json": "/donnees/engagements.json",
        "api-liste": "/api/v2/engagements/?partenaire=caf&limit=100",
        "api-detail": f"/api/v2/engagements/{commitment.pk}/",
    }


@pytest.mark.parametrize(
    "kind",
    [
        "partenaire",
        "charte",
        "action",
        "matrice",
        "historique",
        "recherche",
        "csv",
        "json",
        "api-liste",
        "api-detail",
    ],
)
def test_the_internal_note_is_public_nowhere(client, reported, charter_page, kind):
    response = client.get(_public_urls(reported, charter_page)[kind])
    assert response.status_code == 200
    content = response.content.decode()
    assert "XJWQ" not in content
    assert "internal_note" not in content and "note_interne" not in content


@pytest.mark.parametrize("view", ["edit", "inspect"])
def test_the_internal_note_is_shown_to_the_committee_and_the_partner_only(
    reported, secretary, copilot, committee_member, contributor, adil, view
):
    url = reverse(f"{SNIPPET}:{view}", args=[reported.pk])
    inspect = reverse(f"{SNIPPET}:inspect", args=[reported.pk])  # co-pilots and committee read
    stranger = user_with_role(PARTNER_CONTRIBUTORS, partner=adil, username="contrib-adil")
    for user, target, expected in (
        (secretary, url, 200),
        (contributor, url, 200),
        (copilot, inspect, 200),
        (committee_member, inspect, 200),
        (stranger, url, 404),
    ):
        client = Client()
        client.force_login(user)
        response = client.get(target)
        assert response.status_code == expected, (user.username, target)
        if expected == 200:
            assert SECRET in response.content.decode(), (user.username, target)
        else:
            assert "XJWQ" not in response.content.decode()


def test_the_history_view_is_closed_to_another_partner(reported, contributor, adil):
    url = reverse(f"{SNIPPET}:history", args=[reported.pk])
    stranger = user_with_role(PARTNER_CONTRIBUTORS, partner=adil, username="contrib-adil")
    for user, expected in ((contributor, 200), (stranger, 404)):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected
        assert "XJWQ" not in response.content.decode()


def test_the_partner_edits_the_internal_note_in_the_form(client, own_commitment, contributor):
    client.force_login(contributor)
    url = reverse(f"{SNIPPET}:edit", args=[own_commitment.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data["internal_note"] = "  Relancer la DDETS en mars.  "
    response = client.post(url, data)
    assert response.status_code == 302
    own_commitment.refresh_from_db()
    assert own_commitment.internal_note == "Relancer la DDETS en mars."
    assert own_commitment.history.latest().internal_note == "Relancer la DDETS en mars."


def test_a_proposed_internal_note_waits_for_validation(own_commitment, contributor, copilot):
    settings = WorkspaceSettings.load()
    settings.require_validation = True
    settings.save()
    proposal = commitment_submit_update(
        commitment=own_commitment,
        user=contributor,
        status=own_commitment.status,
        progress=own_commitment.progress,
        narrative=own_commitment.narrative,
        internal_note="À valider en comité",
        reason="",
        expected_version=own_commitment.version,
    )
    own_commitment.refresh_from_db()
    assert (proposal.internal_note, own_commitment.internal_note) == ("À valider en comité", "")
    commitment_proposal_validate(proposal=proposal, user=copilot)
    own_commitment.refresh_from_db()
    assert proposal.review_status == ProposalStatus.VALIDATED
    assert own_commitment.internal_note == "À valider en comité"
