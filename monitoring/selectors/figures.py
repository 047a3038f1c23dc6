"""Progress figures of the commitments, now or as of a past date (fixed number of queries)."""

import datetime
from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from wagtail.models import Page

from charter.choices import DocumentType
from charter.models import ActionPage, CharterPage, OrientationPage, Partner, public_page_q
from engagements.choices import CLOSED_STATUSES, CommitmentStatus
from engagements.models import Commitment
from engagements.selectors import Figures as CommitmentFigures
from engagements.selectors import figure_aggregates

from ..models import CommitteeMeeting, ReviewCampaign

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
    # Published commitments only (`Commitment.objects.public()`): the public progress page.
    public_only: bool = False


@dataclass(kw_only=True)
class Figures(CommitmentFigures):
    """Counts for one group of commitments (an orientation, an action, a partner or all).

    The base counts (total, by status, overdue, achieved, progress) are the engagements app's
    `Figures`, from its `figure_aggregates`; the dashboards add the labels and their own columns.
    """

    label: str
    key: object = None
    stale: int | None = None  # not updated since the last committee meeting
    pending: int | None = None  # still to update in the review campaign
    last_update: datetime.datetime | None = None

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


def latest_history_ids(*, as_of: datetime.datetime) -> QuerySet:
    """The history_id of each commitment's newest row dated at or before `as_of` (a subquery).

    PostgreSQL: `DISTINCT ON (id) … ORDER BY id, history_date DESC, history_id DESC`, one ordered
    pass over the index of that name (a correlated subquery would probe it once per row). Other
    databases: the same row through a correlated subquery on that index.
    """
    history = Commitment.history.model.objects.filter(history_date__lte=as_of)
    if connections[history.db].features.can_distinct_on_fields:
        return (
            history.order_by("id", "-history_date", "-history_id")
            .distinct("id")
            .values("history_id")
        )
    latest = (
        history.filter(id=OuterRef("id"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return history.filter(history_id=Subquery(latest)).values("history_id")


def commitment_states(*, charter: CharterPage, as_of: datetime.datetime | None = None) -> QuerySet:
    """The charter's commitments now, or their latest recorded state at `as_of` (one query).

    The past state is read from django-simple-history: for each commitment, the newest historical
    row dated at or before `as_of` (`latest_history_ids`), minus commitments deleted by then.
    Both querysets expose the same fields (status, due_date, partner_id, action_id,
    last_reported_at).
    """
    if as_of is None:
        return Commitment.objects.for_charter(charter)
    history = Commitment.history.model.objects
    return (
        history.filter(action__path__startswith=charter.path, history_date__lte=as_of)
        .filter(history_id__in=latest_history_ids(as_of=as_of))
        .exclude(history_type="-")
    )


def _apply_filters(queryset: QuerySet, filters: Filters) -> QuerySet:
    if filters.public_only:
        # The rule of `Commitment.objects.public()`, on the commitments or their history rows.
        queryset = queryset.filter(public_page_q("action__"))
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
    annotations = {**figure_aggregates(today), "last_update": Max("last_reported_at")}
    if meeting_start is not None:
        annotations["stale"] = Count("pk", filter=_not_reported_since(meeting_start))
    if review_start is not None:
        annotations["pending"] = Count(
            "pk", filter=_not_reported_since(review_start) & ~Q(status__in=closed)
        )
    return annotations


def _combine(rows: list[dict], annotations: dict) -> dict:
    """The figures of a group from those of its parts: counts add up, the latest update wins."""
    combined = {}
    for name in annotations:
        values = [row[name] for row in rows if row[name] is not None]
        if name == "last_update":
            combined[name] = max(values, default=None)
        else:
            combined[name] = sum(values)
    return combined


def _figures(label: str, key, row: dict) -> Figures:
    base = CommitmentFigures.from_row(row)
    return Figures(
        label=label,
        key=key,
        total=base.total,
        by_status=base.by_status,
        overdue=base.overdue,
        progress_sum=base.progress_sum,
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

    A fixed number of queries whatever the commitments and their history: one aggregate query by
    action and partner (with the partners' names), summed up here for each grouping, one query
    for the charter's actions and one for its orientations.
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
    # One aggregate query, by (action, partner): every grouping is a sum of its rows. Ordered by
    # the partner's name in the database's collation, as the partners' table was.
    rows = list(
        states.values("action_id", "partner_id", "partner__name")
        .annotate(**annotations)
        .order_by("partner__name", "partner_id", "action_id")
    )
    totals = _figures("Ensemble", None, _combine(rows, annotations))

    actions = list(ActionPage.objects.descendant_of(charter).order_by("path"))
    rows_by_action: dict[int, list[dict]] = {}
    for row in rows:
        rows_by_action.setdefault(row["action_id"], []).append(row)
    by_action = [
        _figures(str(action), action.pk, _combine(rows_by_action[action.pk], annotations))
        for action in actions
        if action.pk in rows_by_action
    ]

    orientation_path_length = len(charter.path) + Page.steplen
    rows_by_path: dict[str, list[dict]] = {}
    for action in actions:
        rows_by_path.setdefault(action.path[:orientation_path_length], []).extend(
            rows_by_action.get(action.pk, [])
        )
    orientations = OrientationPage.objects.child_of(charter).order_by("number")
    by_orientation = [
        _figures(
            str(orientation), orientation.pk, _combine(rows_by_path[orientation.path], annotations)
        )
        for orientation in orientations
        if rows_by_path.get(orientation.path)
    ]

    rows_by_partner: dict[tuple[str, int], list[dict]] = {}
    for row in rows:
        if row["partner__name"] is not None:  # not a partner deleted since
            rows_by_partner.setdefault((row["partner__name"], row["partner_id"]), []).append(row)
    by_partner = [
        _figures(name, pk, _combine(group, annotations))
        for (name, pk), group in rows_by_partner.items()
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
