"""Optional validation through the admin: a partner proposes, a co-pilot validates or returns."""

import pytest
from django.test import Client
from django.urls import reverse

from engagements.choices import ProposalStatus
from engagements.models import Commitment, CommitmentProposal, WorkspaceSettings

from .test_concurrency import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def validation_on(db):
    settings = WorkspaceSettings.load()
    settings.require_validation = True
    settings.save()


def propose(client, commitment, **changes):
    url = reverse("wagtailsnippets_engagements_commitment:edit", args=[commitment.pk])
    return client.post(url, form_data(client.get(url), **changes), follow=True)


def test_partner_proposes_and_copilot_validates(
    validation_on, contributor, copilot, own_commitment
):
    partner, pilot = Client(), Client()
    partner.force_login(contributor)
    pilot.force_login(copilot)

    response = propose(partner, own_commitment, status="in_progress", progress=20, reason="Go")
    assert "validation par un co-pilote" in response.content.decode()
    assert Commitment.objects.get(pk=own_commitment.pk).status == "not_started"
    proposal = CommitmentProposal.objects.get(commitment=own_commitment)

    # A second proposal on the same commitment waits for the first one to be examined.
    again = propose(partner, own_commitment, status="in_progress", progress=30, reason="Encore")
    assert "déjà en attente" in again.content.decode()

    listing = pilot.get(reverse("engagements_proposals"))
    assert list(listing.context["proposals"]) == [proposal]
    review = reverse("engagements_proposal_review", args=[proposal.pk])
    assert partner.post(review, {"validate": "1"})["Location"] == "/admin/"  # refused
    assert CommitmentProposal.objects.get(pk=proposal.pk).review_status == ProposalStatus.PENDING
    assert pilot.get(review).status_code == 200
    assert pilot.post(review, {"validate": "1"}).status_code == 302

    commitment = Commitment.objects.get(pk=own_commitment.pk)
    assert (commitment.status, commitment.progress) == ("in_progress", 20)
    proposal.refresh_from_db()
    assert (proposal.review_status, proposal.reviewed_by) == (ProposalStatus.VALIDATED, copilot)


def test_copilot_returns_with_a_comment_seen_by_the_partner(
    validation_on, contributor, copilot, own_commitment
):
    partner, pilot = Client(), Client()
    partner.force_login(contributor)
    pilot.force_login(copilot)
    propose(partner, own_commitment, progress=60)
    proposal = CommitmentProposal.objects.get(commitment=own_commitment)
    review = reverse("engagements_proposal_review", args=[proposal.pk])

    assert pilot.post(review, {"return": "1", "comment": ""}).status_code == 200
    assert pilot.post(review, {"return": "1", "comment": "Chiffre à sourcer"}).status_code == 302

    assert Commitment.objects.get(pk=own_commitment.pk).progress == 0
    mine = partner.get(reverse("engagements_mine")).content.decode()
    assert "Chiffre à sourcer" in mine


def test_the_wagtail_history_view_shows_status_changes_with_reasons(
    contributor, committee_member, own_commitment
):
    partner, member = Client(), Client()
    partner.force_login(contributor)
    member.force_login(committee_member)
    propose(partner, own_commitment, status="in_progress", reason="Comité de pilotage lancé")
    url = reverse("wagtailsnippets_engagements_commitment:history", args=[own_commitment.pk])
    html = member.get(url).content.decode()
    assert "Non démarré → En cours" in html
    assert "Comité de pilotage lancé" in html
    assert "contrib-caf" in html
