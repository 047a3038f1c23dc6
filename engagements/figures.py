"""The figures of commitments (counts by status, overdue, achieved, progress): one definition.

Every page, file, dashboard and report counts commitments with `Figures` built from
`figure_aggregates`; `engagements.selectors` re-exports them.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum, Window

from .choices import CommitmentStatus
from .models import Commitment, overdue_q


@dataclass
class Figures:
    """The figures of a group of commitments: counts by status, overdue, achieved, progress.

    Built only from the aggregates of `figure_aggregates` (`commitment_figures`,
    `commitment_figures_by`, `group_figures`), or summed from them with `Figures.combine`: every
    page, file, dashboard and report shows these numbers.
    """

    total: int = 0
    by_status: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(CommitmentStatus.values, 0)
    )
    overdue: int = 0
    progress_sum: int = 0

    @classmethod
    def from_row(cls, row: dict) -> "Figures":
        """The figures of one aggregate row (the keys of `figure_aggregates`)."""
        return cls(
            total=row["total"] or 0,
            by_status={status: row[f"n_{status}"] or 0 for status in CommitmentStatus.values},
            overdue=row["overdue"] or 0,
            progress_sum=row["progress_sum"] or 0,
        )

    @classmethod
    def combine(cls, parts: "list[Figures]") -> "Figures":
        """The figures of a group from those of its parts (every count adds up)."""
        return cls(
            total=sum(part.total for part in parts),
            by_status={
                status: sum(part.by_status.get(status, 0) for part in parts)
                for status in CommitmentStatus.values
            },
            overdue=sum(part.overdue for part in parts),
            progress_sum=sum(part.progress_sum for part in parts),
        )

    @property
    def achieved(self) -> int:
        return self.by_status.get(CommitmentStatus.ACHIEVED, 0)

    @property
    def achieved_share(self) -> int:
        """Share of commitments achieved, in whole percent."""
        return round(100 * self.achieved / self.total) if self.total else 0

    @property
    def mean_progress(self) -> int:
        """Mean progress of the commitments, in whole percent."""
        return round(self.progress_sum / self.total) if self.total else 0

    @property
    def status_counts(self) -> list[dict]:
        """(status, label, count) in the choices' order, for the public templates."""
        return [
            {"status": status.value, "label": status.label, "count": self.by_status.get(status, 0)}
            for status in CommitmentStatus
        ]


def figure_aggregates(today: datetime.date | None = None) -> dict:
    """The SQL aggregates behind `Figures` (overdue: `overdue_q` on `today`)."""
    return {
        "total": Count("pk"),
        **{f"n_{status}": Count("pk", filter=Q(status=status)) for status in CommitmentStatus},
        "overdue": Count("pk", filter=overdue_q(today)),
        "progress_sum": Sum("progress"),
    }


def annotate_group_figures(
    queryset: QuerySet, *, group: str, partition_by=None, today: datetime.date | None = None
) -> QuerySet:
    """Each commitment annotated with the figures of its group, as SQL window aggregates.

    The same aggregates as `commitment_figures`, over the rows sharing `partition_by` (None: all
    the rows of the queryset): the figures come with the rows, no extra query. Read them with
    `group_figures(commitment, group)`.
    """
    return queryset.annotate(
        **{
            f"{group}_figure_{name}": Window(aggregate, partition_by=partition_by)
            for name, aggregate in figure_aggregates(today).items()
        }
    )


def group_figures(commitment: Commitment | None, group: str) -> Figures:
    """The figures `annotate_group_figures` put on a commitment (empty without commitment)."""
    if commitment is None:
        return Figures()
    prefix = f"{group}_figure_"
    return Figures.from_row(
        {name: getattr(commitment, prefix + name) for name in figure_aggregates()}
    )


def commitment_figures(queryset: QuerySet, *, today: datetime.date | None = None) -> Figures:
    """The figures of a group of commitments, aggregated in SQL (one query)."""
    return Figures.from_row(queryset.order_by().aggregate(**figure_aggregates(today)))


def commitment_figures_by(
    queryset: QuerySet, *fields: str, today: datetime.date | None = None
) -> dict:
    """The figures of a group of commitments per value of `fields` (one query).

    Keys are the field's value, or a tuple of values for several fields.
    """
    rows = queryset.order_by().values(*fields).annotate(**figure_aggregates(today))
    result = {}
    for row in rows:
        key = tuple(row[name] for name in fields) if len(fields) > 1 else row[fields[0]]
        result[key] = Figures.from_row(row)
    return result
