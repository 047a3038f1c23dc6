"""Reads of the yearly review: pending commitments, answers, snapshots, changes, agenda."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from charter.models import CharterPage, Partner
from engagements.choices import CLOSED_STATUSES, CommitmentStatus
from engagements.models import Commitment, is_overdue_on, overdue_q

from ..choices import CampaignStatus
from ..models import MeetingRecord, ReviewCampaign
from .figures import _not_reported_since, last_meeting_before, start_of_day


def pending_commitments(*, campaign: ReviewCampaign) -> QuerySet[Commitment]:
    """Open commitments of the campaign's charter with no progress report since it opened."""
    return (
        Commitment.objects.for_charter(campaign.charter)
        .filter(_not_reported_since(campaign.opened_at))
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("partner", "action")
        .order_by("partner__name", "action__path", "position")
    )


@dataclass
class PartnerAnswer:
    """How far a partner has answered a review campaign."""

    partner: Partner | None  # None on the totals row
    total: int
    pending: int
    updated: int
    closed: int  # achieved or abandoned before the opening: nothing left to update
    last_update: datetime.datetime | None
    last_reminder: datetime.date | None

    @property
    def has_answered(self) -> bool:
        return self.updated > 0 or self.pending == 0

    @property
    def completeness(self) -> int:
        """Share of commitments with nothing left to update: (updated + closed) / total."""
        return round(100 * (self.updated + self.closed) / self.total) if self.total else 100


def campaign_answers(*, campaign: ReviewCampaign) -> list[PartnerAnswer]:
    """Per partner: updated since opening + closed before + still pending = total (2 queries)."""
    closed = list(CLOSED_STATUSES)
    opened = campaign.opened_at
    not_updated = Q(commitments__last_reported_at__isnull=True) | Q(
        commitments__last_reported_at__lt=opened
    )
    last_reminder = (
        campaign.reminders.filter(partner_id=OuterRef("pk")).order_by("-sent_on").values("sent_on")
    )
    in_charter = Q(commitments__action__path__startswith=campaign.charter.path)
    partners = (
        Partner.objects.annotate(
            n_total=Count("commitments", filter=in_charter),
            n_pending=Count(
                "commitments", filter=in_charter & not_updated & ~Q(commitments__status__in=closed)
            ),
            n_closed=Count(
                "commitments", filter=in_charter & not_updated & Q(commitments__status__in=closed)
            ),
            n_updated=Count(
                "commitments", filter=in_charter & Q(commitments__last_reported_at__gte=opened)
            ),
            last_update=Max("commitments__last_reported_at", filter=in_charter),
            last_reminder=Subquery(last_reminder[:1]),
        )
        .filter(n_total__gt=0)
        .order_by("name")
    )
    return [
        PartnerAnswer(
            partner=partner,
            total=partner.n_total,
            pending=partner.n_pending,
            updated=partner.n_updated,
            closed=partner.n_closed,
            last_update=partner.last_update,
            last_reminder=partner.last_reminder,
        )
        for partner in partners
    ]


def answer_totals(answers: list[PartnerAnswer]) -> PartnerAnswer | None:
    """The campaign's totals row: every partner's answers added up (None without partner)."""
    if not answers:
        return None
    return PartnerAnswer(
        partner=None,
        total=sum(answer.total for answer in answers),
        pending=sum(answer.pending for answer in answers),
        updated=sum(answer.updated for answer in answers),
        closed=sum(answer.closed for answer in answers),
        last_update=max((a.last_update for a in answers if a.last_update), default=None),
        last_reminder=max((a.last_reminder for a in answers if a.last_reminder), default=None),
    )


def snapshot_rows(*, charter: CharterPage) -> dict[str, dict]:
    """The state of every commitment of a charter, keyed by id, as stored in a snapshot."""
    rows = Commitment.objects.for_charter(charter).values(
        "pk", "partner_id", "action_id", "status", "progress", "due_date", "last_reported_at"
    )
    return {
        str(row["pk"]): {
            "partner_id": row["partner_id"],
            "action_id": row["action_id"],
            "status": row["status"],
            "progress": row["progress"],
            "due_date": row["due_date"].isoformat() if row["due_date"] else None,
            "last_reported_at": (
                row["last_reported_at"].isoformat() if row["last_reported_at"] else None
            ),
        }
        for row in rows
    }


@dataclass
class Change:
    """A commitment whose status or progress differs from the last review."""

    commitment: Commitment
    status_before: str | None
    progress_before: int | None

    @property
    def status_before_label(self) -> str:
        if self.status_before is None:
            return "Nouvel engagement"
        return CommitmentStatus(self.status_before).label


@dataclass
class ReviewComparison:
    """What changed since the last closed review campaign."""

    reference: ReviewCampaign | None
    changes: list[Change]
    removed: int
    status_before: dict[str, int]
    status_now: dict[str, int]

    @property
    def status_rows(self) -> list[tuple[str, int, int, int]]:
        """(label, before, now, difference) per status."""
        return [
            (
                label,
                self.status_before.get(status, 0),
                self.status_now.get(status, 0),
                self.status_now.get(status, 0) - self.status_before.get(status, 0),
            )
            for status, label in CommitmentStatus.choices
        ]


def last_closed_campaign(
    *, charter: CharterPage, before: ReviewCampaign | None = None
) -> ReviewCampaign | None:
    """The most recently closed review campaign of a charter (optionally older than another)."""
    campaigns = charter.review_campaigns.filter(status=CampaignStatus.CLOSED)
    if before is not None:
        campaigns = campaigns.filter(year__lt=before.year)
    return campaigns.order_by("-closed_at").first()


def changes_since_last_review(
    *, charter: CharterPage, reference: ReviewCampaign | None = None
) -> ReviewComparison:
    """Compare the commitments now with the snapshot of the last closed campaign (2 queries)."""
    reference = reference or last_closed_campaign(charter=charter)
    before = (reference.snapshot or {}).get("commitments", {}) if reference else {}
    current = list(
        Commitment.objects.for_charter(charter)
        .select_related("partner", "action")
        .order_by("partner__name", "action__path", "position")
    )
    changes = []
    status_now: dict[str, int] = {}
    for commitment in current:
        status_now[commitment.status] = status_now.get(commitment.status, 0) + 1
        old = before.get(str(commitment.pk))
        if old is None:
            if reference is not None:
                changes.append(Change(commitment, None, None))
        elif old["status"] != commitment.status or old["progress"] != commitment.progress:
            changes.append(Change(commitment, old["status"], old["progress"]))
    status_before: dict[str, int] = {}
    for old in before.values():
        status_before[old["status"]] = status_before.get(old["status"], 0) + 1
    current_ids = {str(commitment.pk) for commitment in current}
    return ReviewComparison(
        reference=reference,
        changes=changes,
        removed=len(set(before) - current_ids),
        status_before=status_before,
        status_now=status_now,
    )


def agenda_commitments(*, record: MeetingRecord) -> dict[str, list[Commitment]]:
    """Commitments to examine at a meeting: overdue, blocked, not updated since the last one."""
    closed = list(CLOSED_STATUSES)
    meeting = record.meeting
    previous = last_meeting_before(day=meeting.date)
    stale_before = start_of_day(previous.date) if previous else None
    condition = overdue_q(meeting.date) | Q(status=CommitmentStatus.BLOCKED)
    if stale_before is not None:
        condition |= _not_reported_since(stale_before) & ~Q(status__in=closed)
    rows = (
        Commitment.objects.for_charter(record.charter)
        .filter(condition)
        .select_related("partner", "action")
        .order_by("action__path", "partner__name", "position")
    )
    agenda: dict[str, list[Commitment]] = {"overdue": [], "blocked": [], "stale": []}
    for commitment in rows:
        is_open = commitment.status not in CLOSED_STATUSES
        if is_overdue_on(
            due_date=commitment.due_date, status=commitment.status, today=meeting.date
        ):
            agenda["overdue"].append(commitment)
        if commitment.status == CommitmentStatus.BLOCKED:
            agenda["blocked"].append(commitment)
        reported = commitment.last_reported_at
        if is_open and stale_before is not None and (reported is None or reported < stale_before):
            agenda["stale"].append(commitment)
    return agenda
