"""Progress figures of the commitments, now or as of a past date (fixed number of queries)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.models import Page

from charter.choices import DocumentType
from charter.models import ActionPage, CharterPage, OrientationPage, Partner
from engagements.choices import CLOSED_STATUSES, CommitmentStatus
from engagements.models import Commitment, CommitteeMeeting

from ..models import ReviewCampaign

STATUS_COLOURS = {
    CommitmentStatus.NOT_STARTED: "#8a8a8a",
    CommitmentStatus.IN_PROGRESS: "#2f6fbf",
    CommitmentStatus.ACHIEVED: "#1f7a3a",
    CommitmentStatus.BLOCKED: "#b3261e",
    CommitmentStatus.ABANDONED: "#6b4f2a",
}


@dataclass(frozen=True)
class Filters:
    """What the dashboards are restricted to; every field is optional."""

    orientation: OrientationPage | None = None
    partner: Partner | None = None
    status: str = ""
    due_from: datetime.date | None = None
    due_to: datetime.date | None = None


@dataclass
class Figures:
    """Counts for one group of commitments (an orientation, an action, a partner or all)."""

    label: str
    key: object = None
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    stale: int | None = None  # not updated since the last committee meeting
    pending: int | None = None  # still to update in the review campaign
    last_update: datetime.datetime | None = None

    @property
    def achieved(self) -> int:
        return self.by_status.get(CommitmentStatus.ACHIEVED, 0)

    @property
    def achieved_share(self) -> int:
        """Share of commitments achieved, in whole percent."""
        return round(100 * self.achieved / self.total) if self.total else 0

    @property
    def completeness(self) -> int | None:
        """Taux de renseignement: share of commitments reported in the review, in percent."""
        if self.pending is None or not self.total:
            return None
        return round(100 * (self.total - self.pending) / self.total)

    @property
    def segments(self) -> list[tuple[str, str, int, str]]:
        """(status, label, count, colour) in status order, for bars and charts."""
        return [
            (status, label, self.by_status.get(status, 0), STATUS_COLOURS[status])
            for status, label in CommitmentStatus.choices
        ]

    def __getattr__(self, name: str):
        # Export columns: n_achieved, n_blocked… read from by_status.
        if name.startswith("n_") and name[2:] in CommitmentStatus.values:
            return self.by_status.get(name[2:], 0)
        raise AttributeError(name)


@dataclass
class Dashboard:
    """Every figure of the dashboards for one charter, now or as of a past date."""

    charter: CharterPage
    as_of: datetime.date
    is_past: bool
    last_meeting: CommitteeMeeting | None
    campaign: ReviewCampaign | None
    totals: Figures
    by_orientation: list[Figures]
    by_action: list[Figures]
    by_partner: list[Figures]


def default_charter() -> CharterPage | None:
    """The charter whose commitments the dashboards show when none is chosen."""
    charters = CharterPage.objects.filter(document_type=DocumentType.CHARTER)
    return charters.order_by("-start_date", "-pk").first()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of a day, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def start_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant of a day, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def commitment_states(*, charter: CharterPage, as_of: datetime.datetime | None = None) -> QuerySet:
    """The charter's commitments now, or their latest recorded state at `as_of` (one query).

    The past state is read from django-simple-history: for each commitment, the newest historical
    row dated at or before `as_of` (a correlated subquery on the indexed commitment id), minus
    commitments deleted by then. Both querysets expose the same fields (status, due_date,
    partner_id, action_id, last_reported_at).
    """
    if as_of is None:
        return Commitment.objects.for_charter(charter)
    history = Commitment.history.model.objects
    latest = (
        history.filter(id=OuterRef("id"), history_date__lte=as_of)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        history.filter(action__path__startswith=charter.path, history_date__lte=as_of)
        .filter(history_id=Subquery(latest))
        .exclude(history_type="-")
    )


def _apply_filters(queryset: QuerySet, filters: Filters) -> QuerySet:
    if filters.orientation is not None:
        queryset = queryset.filter(action__path__startswith=filters.orientation.path)
    if filters.partner is not None:
        queryset = queryset.filter(partner_id=filters.partner.pk)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.due_from:
        queryset = queryset.filter(due_date__gte=filters.due_from)
    if filters.due_to:
        queryset = queryset.filter(due_date__lte=filters.due_to)
    return queryset


def _not_reported_since(moment: datetime.datetime) -> Q:
    """No progress report since `moment` (never reported, or reported before it)."""
    return Q(last_reported_at__isnull=True) | Q(last_reported_at__lt=moment)


def _annotations(
    *, today: datetime.date, meeting_start: datetime.datetime | None, review_start
) -> dict:
    closed = list(CLOSED_STATUSES)
    annotations = {
        "total": Count("pk"),
        **{f"n_{status}": Count("pk", filter=Q(status=status)) for status in CommitmentStatus},
        "overdue": Count("pk", filter=Q(due_date__lt=today) & ~Q(status__in=closed)),
        "last_update": Max("last_reported_at"),
    }
    if meeting_start is not None:
        annotations["stale"] = Count("pk", filter=_not_reported_since(meeting_start))
    if review_start is not None:
        annotations["pending"] = Count(
            "pk", filter=_not_reported_since(review_start) & ~Q(status__in=closed)
        )
    return annotations


def _figures(label: str, key, row: dict) -> Figures:
    return Figures(
        label=label,
        key=key,
        total=row["total"] or 0,
        by_status={status: row[f"n_{status}"] or 0 for status in CommitmentStatus.values},
        overdue=row["overdue"] or 0,
        stale=row.get("stale"),
        pending=row.get("pending"),
        last_update=row["last_update"],
    )


def last_meeting_before(*, day: datetime.date) -> CommitteeMeeting | None:
    """The latest committee meeting held before `day` (exclusive)."""
    return CommitteeMeeting.objects.filter(date__lt=day).order_by("-date").first()


def campaign_at(*, charter: CharterPage, moment: datetime.datetime) -> ReviewCampaign | None:
    """The review campaign running at `moment` (opened before, not yet closed), if any."""
    return (
        charter.review_campaigns.filter(opened_at__lte=moment)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=moment))
        .order_by("-opened_at")
        .first()
    )


def dashboard(
    *,
    charter: CharterPage,
    filters: Filters | None = None,
    as_of: datetime.date | None = None,
) -> Dashboard:
    """Progress by orientation, action and partner, now or at the end of a past day.

    A fixed number of queries whatever the number of commitments: one aggregate query per
    grouping, plus one query per kind of label (orientations, actions, partners).
    """
    filters = filters or Filters()
    today = timezone.localdate()
    is_past = as_of is not None and as_of < today
    as_of = as_of if is_past else today
    moment = end_of_day(as_of) if is_past else timezone.now()
    meeting = last_meeting_before(day=as_of + datetime.timedelta(days=1))
    campaign = campaign_at(charter=charter, moment=moment)
    states = _apply_filters(
        commitment_states(charter=charter, as_of=moment if is_past else None), filters
    )
    annotations = _annotations(
        today=as_of,
        meeting_start=start_of_day(meeting.date) if meeting else None,
        review_start=campaign.opened_at if campaign else None,
    )
    totals = _figures("Ensemble", None, states.aggregate(**annotations))

    orientation_path_length = len(charter.path) + Page.steplen
    rows = (
        states.annotate(orientation_path=Substr("action__path", 1, orientation_path_length))
        .values("orientation_path")
        .annotate(**annotations)
        .order_by()
    )
    by_path = {row["orientation_path"]: row for row in rows}
    orientations = OrientationPage.objects.child_of(charter).order_by("number")
    by_orientation = [
        _figures(str(orientation), orientation.pk, by_path[orientation.path])
        for orientation in orientations
        if orientation.path in by_path
    ]

    rows = states.values("action_id").annotate(**annotations).order_by()
    by_action_id = {row["action_id"]: row for row in rows}
    actions = ActionPage.objects.filter(pk__in=by_action_id).order_by("path")
    by_action = [_figures(str(action), action.pk, by_action_id[action.pk]) for action in actions]

    rows = states.values("partner_id").annotate(**annotations).order_by()
    by_partner_id = {row["partner_id"]: row for row in rows}
    partners = Partner.objects.filter(pk__in=by_partner_id).order_by("name")
    by_partner = [
        _figures(partner.name, partner.pk, by_partner_id[partner.pk]) for partner in partners
    ]
    return Dashboard(
        charter=charter,
        as_of=as_of,
        is_past=is_past,
        last_meeting=meeting,
        campaign=campaign,
        totals=totals,
        by_orientation=by_orientation,
        by_action=by_action,
        by_partner=by_partner,
    )
