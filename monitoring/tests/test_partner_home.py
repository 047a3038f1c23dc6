"""A partner's staff opens the admin on its work: campaign, deadline, returned proposals."""

import datetime

import pytest
from django.utils import timezone

from engagements.choices import CommitmentStatus, ProposalStatus
from engagements.models import CommitmentProposal
from monitoring.services import campaign_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(small, secretariat_user):
    return campaign_open(
        charter=small.charter, year=2030, deadline=small.day(5), user=secretariat_user
    )


def test_partner_home_shows_the_campaign_and_what_is_left(
    client, small, campaign, contributor_user
):
    client.force_login(contributor_user)
    html = client.get("/admin/").content.decode()
    assert "Votre travail pour Alpha" in html
    # Alpha: c1 achieved (nothing to do), c2 and c3 to update; the deadline in 5 days.
    assert "2 engagements à mettre à jour avant le" in html
    assert "(dans 5 jours)" in html
    assert "Mes engagements (3)" in html
    assert 'href="/admin/mes-engagements/"' in html
    # Wagtail's page and document counts mean nothing to a partner: gone.
    assert "w-summary" not in html


def test_returned_proposal_with_the_copilots_comment(client, small, contributor_user, copilot_user):
    CommitmentProposal.objects.create(
        commitment=small.c2,
        review_status=ProposalStatus.RETURNED,
        status=CommitmentStatus.ACHIEVED,
        progress=100,
        base_version=small.c2.version,
        proposed_by=contributor_user,
        reviewed_by=copilot_user,
        reviewed_at=timezone.now() - datetime.timedelta(hours=1),
        review_comment="Joignez le compte rendu signé.",
    )
    client.force_login(contributor_user)
    html = client.get("/admin/").content.decode()
    assert "Propositions renvoyées par un co-pilote" in html
    assert "« Joignez le compte rendu signé. »" in html
    assert f"/admin/snippets/engagements/commitment/edit/{small.c2.pk}/" in html
    assert "Aucune campagne de bilan n'est ouverte" in html


def test_partner_staff_with_documents_sees_no_site_summary(client, contributor):
    # `contributor` (CAF) may add documents in its partner's collection: Wagtail would count them.
    client.force_login(contributor)
    html = client.get("/admin/").content.decode()
    assert "Votre travail pour" in html
    assert "w-summary" not in html


def test_committee_home_has_no_partner_panel(client, small, campaign, committee_user):
    client.force_login(committee_user)
    assert "Votre travail pour" not in client.get("/admin/").content.decode()
