"""Verbs of the yearly review: open a campaign, remind partners, close it, prepare a meeting."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from charter.models import CharterPage
from core.text import count_of

from .choices import CAMPAIGN_STATUS_TRANSITIONS, CampaignStatus, ReminderKind
from .models import (
    CommitteeMeeting,
    Indicator,
    IndicatorValue,
    MeetingRecord,
    ReminderLog,
    ReviewCampaign,
)
from .selectors import agenda_commitments, pending_commitments, snapshot_rows


def campaign_open(
    *,
    charter: CharterPage,
    year: int,
    deadline: datetime.date,
    user: AbstractBaseUser | None,
) -> ReviewCampaign:
    """Open the yearly review of a charter for `year`, with a deadline for the partners."""
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": "La date limite ne peut pas être déjà passée."})
    with transaction.atomic():
        if charter.review_campaigns.filter(status=CampaignStatus.OPEN).exists():
            raise ValidationError(
                "Une campagne est déjà ouverte pour cette charte : clôturez-la d'abord."
            )
        if charter.review_campaigns.filter(year=year).exists():
            raise ValidationError({"year": f"Une campagne existe déjà pour l'année {year}."})
        campaign = ReviewCampaign(
            charter=charter,
            year=year,
            deadline=deadline,
            status=CampaignStatus.OPEN,
            opened_at=timezone.now(),
            opened_by=user,
        )
        campaign.full_clean()
        campaign.save()
        log(
            instance=campaign,
            action="monitoring.campaign_open",
            user=user,
            data={"year": year, "deadline": deadline.isoformat()},
        )
    return campaign


def campaign_close(*, campaign: ReviewCampaign, user: AbstractBaseUser | None) -> ReviewCampaign:
    """Close a campaign and freeze the state of every commitment of its charter."""
    with transaction.atomic():
        locked = ReviewCampaign.objects.select_for_update().get(pk=campaign.pk)
        if CampaignStatus.CLOSED not in CAMPAIGN_STATUS_TRANSITIONS[locked.status]:
            raise ValidationError("Cette campagne est déjà clôturée.")
        locked.status = CampaignStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.closed_by = user
        rows = snapshot_rows(charter=locked.charter)
        locked.snapshot = {"taken_at": locked.closed_at.isoformat(), "commitments": rows}
        locked.save()
        log(
            instance=locked,
            action="monitoring.campaign_close",
            user=user,
            data={"year": locked.year, "commitments": len(rows)},
        )
    campaign.refresh_from_db()
    return campaign


def campaign_reopen_refusal(
    *, campaign: ReviewCampaign, today: datetime.date | None = None
) -> str | None:
    """Why a campaign cannot be reopened now (French sentence), or None when it can."""
    today = today or timezone.localdate()
    if CampaignStatus.OPEN not in CAMPAIGN_STATUS_TRANSITIONS[campaign.status]:
        return "Cette campagne est ouverte : il n'y a rien à rouvrir."
    held = (
        campaign.meeting_records.filter(meeting__date__lte=today)
        .order_by("meeting__date")
        .select_related("meeting")
        .first()
    )
    if held is not None:
        return (
            f"Le comité de suivi s'est réuni le {held.meeting.date:%d/%m/%Y} sur ce bilan : "
            "la campagne ne peut plus être rouverte. Ouvrez la campagne de l'année suivante."
        )
    other = (
        ReviewCampaign.objects.filter(charter_id=campaign.charter_id, status=CampaignStatus.OPEN)
        .exclude(pk=campaign.pk)
        .first()
    )
    if other is not None:
        return (
            f"La campagne {other.year} est ouverte pour cette charte : clôturez-la avant de "
            f"rouvrir celle de {campaign.year}."
        )
    return None


def campaign_reopen(
    *, campaign: ReviewCampaign, deadline: datetime.date, user: AbstractBaseUser | None
) -> ReviewCampaign:
    """Reopen a campaign closed too early, with a new deadline, until the committee meets on it."""
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": "La nouvelle date limite ne peut pas être déjà passée."})
    with transaction.atomic():
        locked = ReviewCampaign.objects.select_for_update().get(pk=campaign.pk)
        refusal = campaign_reopen_refusal(campaign=locked)
        if refusal:
            raise ValidationError(refusal)
        previous = {"closed_at": locked.closed_at.isoformat() if locked.closed_at else None}
        locked.status = CampaignStatus.OPEN
        locked.deadline = deadline
        locked.closed_at = None
        locked.closed_by = None
        locked.snapshot = {}
        locked.save()
        log(
            instance=locked,
            action="monitoring.campaign_reopen",
            user=user,
            data={"year": locked.year, "deadline": deadline.isoformat(), **previous},
        )
    campaign.refresh_from_db()
    return campaign


def close_due_campaigns(*, today: datetime.date, user=None) -> list[ReviewCampaign]:
    """Close every open campaign whose deadline has passed (idempotent, for cron)."""
    due = ReviewCampaign.objects.filter(status=CampaignStatus.OPEN, deadline__lt=today)
    return [campaign_close(campaign=campaign, user=user) for campaign in due]


@dataclass
class ReminderReport:
    """What a reminder run did, per partner."""

    sent: list[ReminderLog] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    without_recipient: list[str] = field(default_factory=list)


def _recipients(partner_id: int) -> list[str]:
    users = get_user_model().objects.filter(
        partner_membership__partner_id=partner_id, is_active=True
    )
    return sorted({email for email in users.values_list("email", flat=True) if email})


def campaign_send_reminders(
    *,
    campaign: ReviewCampaign,
    kind: str,
    today: datetime.date | None = None,
    meeting: CommitteeMeeting | None = None,
) -> ReminderReport:
    """E-mail each partner the digest of its commitments still to update (once a day at most)."""
    if not campaign.is_open:
        raise ValidationError("Cette campagne est clôturée : aucune relance n'est possible.")
    today = today or timezone.localdate()
    report = ReminderReport()
    by_partner: dict = {}
    for commitment in pending_commitments(campaign=campaign):
        by_partner.setdefault(commitment.partner, []).append(commitment)
    already = set(campaign.reminders.filter(sent_on=today).values_list("partner_id", flat=True))
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for partner, commitments in by_partner.items():
        if partner.pk in already:
            report.already_sent.append(str(partner))
            continue
        recipients = _recipients(partner.pk)
        if not recipients:
            report.without_recipient.append(str(partner))
            continue
        context = {
            "campaign": campaign,
            "partner": partner,
            "commitments": commitments,
            "kind": kind,
            "meeting": meeting,
            "days_left": (campaign.deadline - today).days,
            "workspace_url": base_url + reverse("engagements_mine"),
        }
        subject = (
            f"Bilan {campaign.year} de la charte : {count_of(len(commitments), 'engagement')} "
            f"à mettre à jour avant le {campaign.deadline:%d/%m/%Y}"
        )
        try:
            with transaction.atomic():
                entry = ReminderLog.objects.create(
                    campaign=campaign,
                    partner=partner,
                    kind=kind,
                    sent_on=today,
                    recipients=", ".join(recipients),
                    pending_count=len(commitments),
                )
                EmailMessage(
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    subject=subject,
                    body=render_to_string("monitoring/email/reminder.txt", context),
                    to=recipients,
                ).send()
        except IntegrityError:  # a concurrent run sent it first
            report.already_sent.append(str(partner))
            continue
        report.sent.append(entry)
    return report


def send_due_reminders(*, today: datetime.date) -> ReminderReport:
    """Send the reminders due today for every open campaign (cron-friendly, idempotent)."""
    deadline_days = set(settings.REVIEW_REMINDER_DAYS_BEFORE_DEADLINE)
    meeting_days = set(settings.REVIEW_REMINDER_DAYS_BEFORE_MEETING)
    total = ReminderReport()
    campaigns = ReviewCampaign.objects.filter(status=CampaignStatus.OPEN).select_related("charter")
    for campaign in campaigns:
        kind, meeting = None, None
        upcoming = CommitteeMeeting.objects.filter(date__gte=today).order_by("date").first()
        if upcoming and (upcoming.date - today).days in meeting_days:
            kind, meeting = ReminderKind.MEETING, upcoming
        elif (campaign.deadline - today).days in deadline_days:
            kind = ReminderKind.DEADLINE
        if kind is None:
            continue
        report = campaign_send_reminders(campaign=campaign, kind=kind, today=today, meeting=meeting)
        total.sent += report.sent
        total.already_sent += report.already_sent
        total.without_recipient += report.without_recipient
    return total


def meeting_generate_agenda(
    *, record: MeetingRecord, user: AbstractBaseUser | None
) -> MeetingRecord:
    """Write the meeting's agenda from its late, blocked and not-updated commitments."""
    agenda = agenda_commitments(record=record)
    record.agenda = render_to_string(
        "monitoring/meeting_agenda.md",
        {"record": record, "meeting": record.meeting, "agenda": agenda},
    ).strip()
    record.save(update_fields=["agenda"])
    log(
        instance=record,
        action="monitoring.meeting_agenda",
        user=user,
        data={key: len(items) for key, items in agenda.items()},
    )
    return record


def indicator_value_record(
    *,
    indicator: Indicator,
    year: int,
    value,
    narrative: str,
    source: str,
    recorded_on: datetime.date | None,
    user: AbstractBaseUser | None,
) -> IndicatorValue:
    """Create or replace an indicator's value for a year (an aggregated figure, never a person)."""
    with transaction.atomic():
        entry = (
            IndicatorValue.objects.select_for_update()
            .filter(indicator=indicator, year=year)
            .first()
        )
        created = entry is None
        entry = entry or IndicatorValue(indicator=indicator, year=year)
        entry.value = value
        entry.narrative = (narrative or "").strip()
        entry.source = (source or "").strip()
        entry.recorded_on = recorded_on
        entry.full_clean()
        entry.save()
        log(
            instance=indicator,
            action="monitoring.indicator_value",
            user=user,
            data={
                "year": year,
                "value": None if value is None else str(value),
                "created": created,
            },
        )
    return entry
