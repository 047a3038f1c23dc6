"""Indicator series (yearly values merged with targets) and public small-count masking."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet

from ..models import Indicator


@dataclass
class YearPoint:
    year: int
    value: Decimal | None
    target: Decimal | None
    narrative: str = ""
    source: str = ""
    recorded_on: datetime.date | None = None


@dataclass
class IndicatorSeries:
    indicator: Indicator
    points: list[YearPoint]

    @property
    def has_figures(self) -> bool:
        return any(p.value is not None or p.target is not None for p in self.points)


def indicator_series(*, indicators: QuerySet[Indicator] | None = None) -> list[IndicatorSeries]:
    """Every indicator with its yearly values and targets, merged by year (3 queries)."""
    indicators = (indicators if indicators is not None else Indicator.objects.all()).order_by(
        "name"
    )
    indicators = indicators.select_related("source_partner").prefetch_related("values", "targets")
    series = []
    for indicator in indicators:
        points: dict[int, YearPoint] = {}
        for value in indicator.values.all():
            points[value.year] = YearPoint(
                value.year,
                value.value,
                None,
                value.narrative,
                value.source,
                value.recorded_on,
            )
        for target in indicator.targets.all():
            point = points.setdefault(target.year, YearPoint(target.year, None, None))
            point.target = target.value
        series.append(IndicatorSeries(indicator, [points[y] for y in sorted(points)]))
    return series


def public_count(value: Decimal | int | None, *, threshold: int | None = None) -> Decimal | None:
    """The value if it may be published, None when it is a small count (statistical secrecy)."""
    if value is None:
        return None
    if threshold is None:
        threshold = settings.INDICATOR_PUBLIC_MIN_COUNT
    if 0 < value < threshold:
        return None
    return value


def public_indicator_values(*, indicator: Indicator) -> list[tuple[int, Decimal | None, str]]:
    """(year, publishable value or None, narrative) of an indicator, for public pages."""
    return [
        (value.year, public_count(value.value), value.narrative)
        for value in indicator.values.order_by("year")
    ]
