"""Closing a campaign asks first, can be undone until the committee meets; figures add up."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from engagements.models import Commitment
from engagements.tests.factories import MembershipFactory, UserFactory
from monitoring.choices import CampaignStatus, ReminderKind
from monitoring.models import CommitteeMeeting, MeetingRecord
from monitoring.selectors import answer_totals, campaign_answers
from monitoring.services import (
    campaign_close,
    campaign_reopen,
    campaign_send_reminders,
)

pytestmark = pytest.mark.django_db


def test_close_asks_for_confirmation_before_freezing(client, campaign, secretariat_user):
    client.force_login(secretariat_user)
    detail = client.get(reverse("monitoring:campaign", args=[campaign.pk])).content.decode()
    url = reverse("monitoring:campaign_close", args=[campaign.pk])
    assert f'href="{url}"' in detail  # a link to the confirmation, not a one-click form
    page = client.get(url)
    html = page.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN  # looking is not closing
    assert "Clôturer la campagne de bilan 2030" in html
    assert "dans 7 jours" in html  # the deadline not reached yet is said
    assert "rouvrir" in html and "Annuler" in html
    response = client.post(url)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


def test_reopen_with_a_new_deadline_until_the_committee_meets(
    client, small, campaign, secretariat_user
):
    campaign_close(campaign=campaign, user=secretariat_user)
    client.force_login(secretariat_user)
    url = reverse("monitoring:campaign_reopen", args=[campaign.pk])
    detail = client.get(reverse("monitoring:campaign", args=[campaign.pk])).content.decode()
    assert f'href="{url}"' in detail
    # A past deadline is refused in French and changes nothing.
    refused = client.post(url, {"deadline": small.day(-1).isoformat()})
    assert "ne peut pas être déjà passée" in refused.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED and campaign.snapshot
    response = client.post(url, {"deadline": small.day(10).isoformat()})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN
    assert campaign.deadline == small.day(10)
    assert (campaign.closed_at, campaign.snapshot) == (None, {})
    entry = ModelLogEntry.objects.get(action="monitoring.campaign_reopen")
    assert entry.data["deadline"] == small.day(10).isoformat()
    # Reminders work again.
    MembershipFactory(partner=small.p1, user=UserFactory(email="a@alpha.example"))
    assert campaign_send_reminders(campaign=campaign, kind=ReminderKind.MANUAL).sent


def test_no_reopening_once_the_committee_has_met(small, campaign, secretariat_user, client):
    campaign_close(campaign=campaign, user=secretariat_user)
    meeting = CommitteeMeeting.objects.create(date=small.today)
    MeetingRecord.objects.create(meeting=meeting, charter=small.charter, campaign=campaign)
    with pytest.raises(Exception, match="s'est réuni le"):
        campaign_reopen(campaign=campaign, deadline=small.day(5), user=secretariat_user)
    client.force_login(secretariat_user)
    detail = client.get(reverse("monitoring:campaign", args=[campaign.pk])).content.decode()
    assert "ne peut plus être rouverte" in detail
    assert reverse("monitoring:campaign_reopen", args=[campaign.pk]) not in detail
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


def test_close_and_reopen_are_for_the_secretariat_only(client, campaign, committee_user):
    client.force_login(committee_user)
    for name in ("campaign_close", "campaign_reopen"):
        url = reverse(f"monitoring:{name}", args=[campaign.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"deadline": "2099-01-01"}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN


def test_partner_figures_add_up(client, small, campaign, secretariat_user):
    # Alpha: c1 achieved before the opening, c2 updated since, c3 still to update.
    Commitment.objects.filter(pk=small.c2.pk).update(last_reported_at=timezone.now())
    answers = {answer.partner.name: answer for answer in campaign_answers(campaign=campaign)}
    alpha = answers["Alpha"]
    assert (alpha.total, alpha.updated, alpha.closed, alpha.pending) == (3, 1, 1, 1)
    assert alpha.completeness == 67  # (1 updated + 1 closed) / 3
    for answer in answers.values():
        assert answer.updated + answer.closed + answer.pending == answer.total
    totals = answer_totals(list(answers.values()))
    assert totals.total == 7 and totals.updated + totals.closed + totals.pending == 7
    client.force_login(secretariat_user)
    html = client.get(reverse("monitoring:campaign", args=[campaign.pk])).content.decode()
    assert "<tfoot>" in html and "Déjà clos" in html


def test_reminder_mail_is_french_and_absolute(settings, small, campaign):
    settings.WAGTAILADMIN_BASE_URL = "https://charte.example.gouv.fr"
    settings.DEFAULT_FROM_EMAIL = "Secrétariat de la CCAPEX <ne-pas-repondre@example.gouv.fr>"
    MembershipFactory(partner=small.p2, user=UserFactory(email="b@bravo.example"))
    campaign_send_reminders(campaign=campaign, kind=ReminderKind.MANUAL, today=small.today)
    (message,) = mail.outbox
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "1 engagement à mettre à jour" in message.subject  # not « engagement(s) »
    assert "https://charte.example.gouv.fr/admin/mes-engagements/" in message.body
