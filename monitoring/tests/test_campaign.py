"""Yearly review campaign: open, remind (e-mails), close (snapshot), compare, commands."""

from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from engagements.choices import CommitmentStatus as S
from engagements.models import Commitment
from engagements.tests.factories import MembershipFactory, UserFactory
from monitoring.choices import CampaignStatus, ReminderKind
from monitoring.models import CommitteeMeeting, ReminderLog, ReviewCampaign
from monitoring.selectors import campaign_answers, changes_since_last_review
from monitoring.services import (
    campaign_close,
    campaign_open,
    campaign_send_reminders,
    send_due_reminders,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(small):
    """Two Alpha members (one inactive), one Bravo member, one Charlie member without e-mail."""
    alpha = MembershipFactory(partner=small.p1, user=UserFactory(email="a1@alpha.example")).user
    MembershipFactory(
        partner=small.p1, user=UserFactory(email="off@alpha.example", is_active=False)
    )
    alpha2 = MembershipFactory(partner=small.p1, user=UserFactory(email="a2@alpha.example")).user
    bravo = MembershipFactory(partner=small.p2, user=UserFactory(email="b@bravo.example")).user
    MembershipFactory(partner=small.p3, user=UserFactory(email=""))
    return {"alpha": [alpha, alpha2], "bravo": bravo}


def test_open_records_who_and_when(campaign, secretariat_user):
    assert campaign.status == CampaignStatus.OPEN
    assert campaign.opened_by == secretariat_user
    entry = ModelLogEntry.objects.get(action="monitoring.campaign_open")
    assert entry.object_id == str(campaign.pk)


def test_cannot_open_twice_or_in_the_past(campaign, small):
    with pytest.raises(ValidationError, match="déjà ouverte"):
        campaign_open(charter=small.charter, year=2031, deadline=small.day(9), user=None)
    campaign_close(campaign=campaign, user=None)
    with pytest.raises(ValidationError, match="2030"):
        campaign_open(charter=small.charter, year=2030, deadline=small.day(9), user=None)
    with pytest.raises(ValidationError, match="passée"):
        campaign_open(charter=small.charter, year=2032, deadline=small.day(-1), user=None)
    assert ReviewCampaign.objects.filter(charter=small.charter).count() == 1


def test_reminders_digest_content_and_recipients(campaign, small, members):
    # Alpha reported c2 since the opening; c3 is still pending (c1 is achieved).
    Commitment.objects.filter(pk=small.c2.pk).update(last_reported_at=timezone.now())

    report = campaign_send_reminders(
        campaign=campaign, kind=ReminderKind.DEADLINE, today=small.today
    )

    # Alpha (c3) and Bravo (c4) get a digest; Charlie (c7 pending) has no address.
    assert [entry.partner for entry in report.sent] == [small.p1, small.p2]
    assert report.without_recipient == [str(small.p3)]
    assert len(mail.outbox) == 2
    alpha_mail, bravo_mail = mail.outbox
    assert sorted(alpha_mail.to) == ["a1@alpha.example", "a2@alpha.example"]
    assert bravo_mail.to == ["b@bravo.example"]
    assert "1 engagement à mettre à jour" in alpha_mail.subject
    assert small.day(7).strftime("%d/%m/%Y") in alpha_mail.subject
    assert "Engagement c3 du partenaire Alpha" in alpha_mail.body
    assert "Engagement c2" not in alpha_mail.body  # already reported
    assert "Engagement c1" not in alpha_mail.body  # achieved
    assert "se termine dans 7 jours" in alpha_mail.body
    assert "/admin/mes-engagements/" in alpha_mail.body
    assert "Engagement c4 du partenaire Bravo" in bravo_mail.body
    assert "Alpha" not in bravo_mail.body


def test_reminders_are_not_sent_twice_the_same_day(campaign, small, members):
    campaign_send_reminders(campaign=campaign, kind=ReminderKind.MANUAL, today=small.today)
    second = campaign_send_reminders(campaign=campaign, kind=ReminderKind.MANUAL, today=small.today)
    assert second.sent == []
    assert sorted(second.already_sent) == sorted([str(small.p1), str(small.p2)])
    assert len(mail.outbox) == 2
    campaign_send_reminders(campaign=campaign, kind=ReminderKind.MANUAL, today=small.day(1))
    assert len(mail.outbox) == 4
    assert ReminderLog.objects.filter(campaign=campaign).count() == 4


def test_due_reminders_follow_the_configured_days(campaign, small, members, settings):
    settings.REVIEW_REMINDER_DAYS_BEFORE_DEADLINE = (7, 1)
    settings.REVIEW_REMINDER_DAYS_BEFORE_MEETING = (3,)
    assert send_due_reminders(today=small.day(-1)).sent == []  # 8 days before: nothing
    assert len(send_due_reminders(today=small.today).sent) == 2  # 7 days before
    assert send_due_reminders(today=small.day(2)).sent == []  # 5 days before
    CommitteeMeeting.objects.create(date=small.day(5))
    report = send_due_reminders(today=small.day(2))  # 3 days before the meeting
    assert {entry.kind for entry in report.sent} == {ReminderKind.MEETING}
    assert "se réunit le" in mail.outbox[-1].body


def test_reminder_command_is_idempotent(campaign, small, members):
    out = StringIO()
    call_command("send_review_reminders", date=small.today.isoformat(), stdout=out)
    call_command("send_review_reminders", date=small.today.isoformat(), stdout=out)
    assert len(mail.outbox) == 2
    assert "2 relances envoyées" in out.getvalue()
    assert "0 relance envoyée" in out.getvalue()


def test_answers_show_who_has_not_answered(campaign, small, members):
    Commitment.objects.filter(pk=small.c4.pk).update(last_reported_at=timezone.now())
    campaign_send_reminders(campaign=campaign, kind=ReminderKind.MANUAL, today=small.today)
    answers = {answer.partner.name: answer for answer in campaign_answers(campaign=campaign)}
    assert set(answers) == {"Alpha", "Bravo", "Charlie"}
    assert not answers["Alpha"].has_answered
    assert (answers["Alpha"].pending, answers["Alpha"].completeness) == (2, 33)
    assert answers["Bravo"].has_answered and answers["Bravo"].pending == 0
    assert answers["Alpha"].last_reminder == small.today
    assert answers["Charlie"].last_reminder is None


def test_close_freezes_a_snapshot_and_next_year_compares(campaign, small, secretariat_user):
    closed = campaign_close(campaign=campaign, user=secretariat_user)

    assert closed.status == CampaignStatus.CLOSED and closed.closed_by == secretariat_user
    frozen = closed.snapshot["commitments"]
    assert len(frozen) == 7
    assert frozen[str(small.c3.pk)]["status"] == S.BLOCKED
    with pytest.raises(ValidationError, match="déjà clôturée"):
        campaign_close(campaign=closed, user=None)
    with pytest.raises(ValidationError, match="clôturée"):
        campaign_send_reminders(campaign=closed, kind=ReminderKind.MANUAL)

    # A year later: c3 unblocked, c4 moved forward, one new commitment.
    Commitment.objects.filter(pk=small.c3.pk).update(status=S.IN_PROGRESS, progress=30)
    Commitment.objects.filter(pk=small.c4.pk).update(progress=10)
    new = Commitment.objects.create(partner=small.p3, action=small.a1, position=99, text="Neuf")
    comparison = changes_since_last_review(charter=small.charter)

    assert comparison.reference == closed
    changed = {change.commitment.pk: change for change in comparison.changes}
    assert set(changed) == {small.c3.pk, small.c4.pk, new.pk}
    assert changed[small.c3.pk].status_before == S.BLOCKED
    assert changed[small.c4.pk].progress_before == 0
    assert changed[new.pk].status_before_label == "Nouvel engagement"
    rows = {label: (before, now) for label, before, now, _diff in comparison.status_rows}
    assert rows["Bloqué"] == (1, 0)
    assert rows["En cours"] == (2, 3)


def test_close_command_closes_due_campaigns_only_once(campaign, small):
    out = StringIO()
    call_command("close_review_campaign", date=small.day(7).isoformat(), stdout=out)
    assert "Aucune campagne à clôturer" in out.getvalue()  # deadline is today+7: still open
    call_command("close_review_campaign", date=small.day(8).isoformat(), stdout=out)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    assert "7 engagements figés" in out.getvalue()
    snapshot = campaign.snapshot
    call_command("close_review_campaign", date=small.day(9).isoformat(), stdout=out)
    campaign.refresh_from_db()
    assert campaign.snapshot == snapshot
