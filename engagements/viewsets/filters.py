"""Filters of the commitment listings (« Engagements » and « Mes engagements »)."""

import django_filters
from django.utils import timezone
from django.utils.text import Truncator
from wagtail.admin.filters import WagtailFilterSet

from charter.models import ActionPage, CharterPage, OrientationPage, Partner
from core.params import ModelIdChoiceField

from ..choices import CommitmentStatus
from ..models import Commitment, overdue_q
from ..selectors import last_committee_meeting

YES_NO = [("true", "Oui"), ("false", "Non")]


def _yes_no(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)


class CharterPageChoiceField(ModelIdChoiceField):
    """Orientations and actions labelled with their charter, number and a short title.

    A `ModelIdChoiceField`: a huge or non-numeric id is an invalid choice, never a server error.
    """

    def _charter_names(self) -> list[tuple[str, str]]:
        if not hasattr(self, "_charters"):
            self._charters = [
                (charter.path, charter_short_name(charter))
                for charter in CharterPage.objects.only("path", "title", "territory", "start_date")
            ]
        return self._charters

    def label_from_instance(self, obj) -> str:
        charter = next(
            (name for path, name in self._charter_names() if obj.path.startswith(path)), ""
        )
        if isinstance(obj, ActionPage):
            number = f"Action {obj.code or obj.number}"
        else:
            number = f"Orientation {obj.number}"
        title = Truncator(obj.title).chars(40)
        return f"{charter} · {number} — {title}" if charter else f"{number} — {title}"


def charter_short_name(charter) -> str:
    """A charter named in a few words: its territory and first year."""
    name = charter.territory or Truncator(charter.title).chars(30)
    return f"{name} {charter.start_date.year}" if charter.start_date else name


class CharterPageFilter(django_filters.ModelChoiceFilter):
    field_class = CharterPageChoiceField


class CommitmentFilterSet(WagtailFilterSet):
    partner = django_filters.ModelChoiceFilter(
        label="Partenaire", queryset=Partner.objects.all(), empty_label="Tous"
    )
    orientation = CharterPageFilter(
        label="Orientation",
        queryset=OrientationPage.objects.order_by("path"),
        method="filter_orientation",
        empty_label="Toutes",
    )
    action = CharterPageFilter(
        label="Action", queryset=ActionPage.objects.order_by("path"), empty_label="Toutes"
    )
    status = django_filters.ChoiceFilter(
        label="Statut", choices=CommitmentStatus.choices, empty_label="Tous"
    )
    overdue = django_filters.ChoiceFilter(
        label="En retard", choices=YES_NO, empty_label="Tous", method="filter_overdue"
    )
    stale = django_filters.ChoiceFilter(
        label="Sans mise à jour depuis le dernier comité de suivi",
        choices=YES_NO,
        empty_label="Tous",
        method="filter_stale",
    )

    class Meta:
        model = Commitment
        fields = ["partner", "orientation", "action", "status"]

    def filter_orientation(self, queryset, name, value):
        return queryset.filter(action__path__startswith=value.path) if value else queryset

    def filter_overdue(self, queryset, name, value):
        value = _yes_no(value)
        if value is None:
            return queryset
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())

    def filter_stale(self, queryset, name, value):
        return filter_stale(queryset, _yes_no(value))


def filter_stale(queryset, value):
    """Commitments with (True) or without (False) a progress report since the last meeting."""
    if value is None:
        return queryset
    meeting = last_committee_meeting()
    if meeting is None:
        return queryset.filter(last_reported_at__isnull=True) if value else queryset
    since = timezone.make_aware(
        timezone.datetime.combine(meeting.date, timezone.datetime.min.time())
    )
    stale = queryset.filter(last_reported_at__isnull=True) | queryset.filter(
        last_reported_at__lt=since
    )
    return stale if value else queryset.exclude(pk__in=stale.values("pk"))
