"""Stale forms (issue 12): edit and bulk forms carry the versions shown; stale proposals."""

import pytest
from django.test import Client
from django.urls import reverse

from engagements.choices import ProposalStatus
from engagements.models import Commitment, CommitmentProposal, WorkspaceSettings

from .test_concurrency import form_data

pytestmark = pytest.mark.django_db

EDIT = "wagtailsnippets_engagements_commitment:edit"
RELOAD = "Rechargez la page, puis refaites votre modification."


def _snapshot(*commitments) -> list[tuple]:
    return list(
        Commitment.objects.filter(pk__in=[c.pk for c in commitments])
        .order_by("pk")
        .values_list("pk", "status", "progress", "narrative", "version")
    )


def _html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("version", [None, "", "abc", "0", "-3", "1.5"])
def test_an_edit_without_a_valid_expected_version_is_refused(
    client, contributor, own_commitment, version
):
    client.force_login(contributor)
    url = reverse(EDIT, args=[own_commitment.pk])
    data = form_data(client.get(url), status="in_progress", progress=35, reason="Démarrage")
    if version is None:
        del data["expected_version"]
    else:
        data["expected_version"] = version
    before = _snapshot(own_commitment)
    history = own_commitment.history.count()

    response = client.post(url, data)

    assert response.status_code == 200
    html = _html(response)
    assert "Ce formulaire est incomplet ou trop ancien" in html
    assert RELOAD in html
    assert _snapshot(own_commitment) == before
    assert own_commitment.history.count() == history


def test_an_edit_from_a_stale_version_is_refused(client, contributor, secretary, own_commitment):
    client.force_login(contributor)
    url = reverse(EDIT, args=[own_commitment.pk])
    page = client.get(url)
    other = Client()
    other.force_login(secretary)
    moved = other.post(url, form_data(other.get(url), progress=10, reason="Point"))
    assert moved.status_code == 302
    before = _snapshot(own_commitment)

    response = client.post(url, form_data(page, status="in_progress", progress=35, reason="Go"))

    assert response.status_code == 200
    assert "Rechargez la page pour repartir de la version à jour" in _html(response)
    assert _snapshot(own_commitment) == before


def _bulk_url(*commitments) -> str:
    url = reverse("wagtail_bulk_action", args=("engagements", "commitment", "update"))
    return url + "?" + "&".join(f"id={c.pk}" for c in commitments) + "&next=/admin/"


def test_a_stale_bulk_update_is_refused_naming_the_changed_commitments(
    client, contributor, secretary, caf
):
    first, second, third = caf.commitments.order_by("pk")[:3]
    client.force_login(contributor)
    url = _bulk_url(first, second, third)
    page = client.get(url)
    versions = page.context["form"]["versions"].value()
    assert versions == ",".join(f"{c.pk}:{c.version}" for c in (first, second, third))

    # Someone else changes the second commitment while the bulk form is open.
    other = Client()
    other.force_login(secretary)
    edit = reverse(EDIT, args=[second.pk])
    assert other.post(edit, form_data(other.get(edit), progress=10)).status_code == 302
    before = _snapshot(first, second, third)

    response = client.post(
        url, {"status": "in_progress", "reason": "Revue annuelle", "versions": versions}
    )

    assert response.status_code == 200
    html = _html(response)
    assert "Mise à jour groupée refusée : 1 engagement(s) ont été modifiés" in html
    assert str(second) in html and "Aucun engagement n'a été modifié" in html
    assert _snapshot(first, second, third) == before

    # Reloaded, the same bulk goes through.
    fresh = client.get(url).context["form"]["versions"].value()
    response = client.post(
        url, {"status": "in_progress", "reason": "Revue annuelle", "versions": fresh}
    )
    assert response.status_code == 302
    assert {row[1] for row in _snapshot(first, second, third)} == {"in_progress"}


@pytest.mark.parametrize("versions", [None, "", "12;x", "a:b"])
def test_a_bulk_update_without_versions_is_refused(client, contributor, caf, versions):
    first, second = caf.commitments.order_by("pk")[:2]
    client.force_login(contributor)
    data = {"status": "in_progress", "reason": "Revue annuelle"}
    if versions is not None:
        data["versions"] = versions
    before = _snapshot(first, second)

    response = client.post(_bulk_url(first, second), data)

    assert response.status_code == 200
    html = _html(response)
    assert "Ce formulaire de mise à jour groupée est incomplet ou trop ancien" in html
    assert _snapshot(first, second) == before


@pytest.fixture
def validation_on(db):
    settings = WorkspaceSettings.load()
    settings.require_validation = True
    settings.save()


def test_a_stale_proposal_says_what_changed_and_can_be_returned(
    validation_on, contributor, copilot, secretary, own_commitment
):
    partner, pilot, office = Client(), Client(), Client()
    partner.force_login(contributor)
    pilot.force_login(copilot)
    office.force_login(secretary)
    url = reverse(EDIT, args=[own_commitment.pk])
    proposed = partner.post(url, form_data(partner.get(url), progress=60, reason="Bilan"))
    assert proposed.status_code == 302
    proposal = CommitmentProposal.objects.get(commitment=own_commitment)

    # The secretariat changes the commitment meanwhile: the proposal's base is stale.
    moved = office.post(
        url, form_data(office.get(url), status="in_progress", progress=30, reason="Point")
    )
    assert moved.status_code == 302
    review = reverse("engagements_proposal_review", args=[proposal.pk])

    html = _html(pilot.get(review))
    assert "Cette proposition ne peut plus être validée" in html
    assert "statut : « Non démarré » → « En cours »" in html
    assert "avancement (%) : « 0 » → « 30 »" in html
    assert "Renvoyez-la au partenaire avec un commentaire" in html
    assert 'name="validate"' not in html

    # Validating anyway (an old tab) is refused with the reason; nothing changes.
    before = _snapshot(own_commitment)
    refused = pilot.post(review, {"validate": "1"})
    assert refused.status_code == 200
    assert "Cette proposition ne peut plus être validée : l'engagement a été modifié" in _html(
        refused
    )
    assert _snapshot(own_commitment) == before
    assert CommitmentProposal.objects.get(pk=proposal.pk).review_status == ProposalStatus.PENDING

    # Returned with a comment: the partner sees it and can propose again from the new version.
    comment = "L'engagement a été mis à jour entre-temps : refaites votre proposition."
    assert pilot.post(review, {"return": "1", "comment": comment}).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.review_status, proposal.review_comment) == (ProposalStatus.RETURNED, comment)
    assert _snapshot(own_commitment) == before
    assert "refaites votre proposition" in _html(partner.get(reverse("engagements_mine")))
    again = partner.post(url, form_data(partner.get(url), progress=70, reason="Bilan à jour"))
    assert again.status_code == 302
    assert CommitmentProposal.objects.filter(
        commitment=own_commitment, review_status=ProposalStatus.PENDING, progress=70
    ).exists()
