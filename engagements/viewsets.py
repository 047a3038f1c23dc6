"""Wagtail admin presentation of commitments and indicators."""

import django_filters
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.views.snippets import SnippetViewSet

from charter.models import ActionPage, OrientationPage, Partner

from .choices import CLOSED_STATUSES, CommitmentStatus
from .models import Commitment, Indicator


class CommitmentFilterSet(WagtailFilterSet):
    partner = django_filters.ModelChoiceFilter(label="Partenaire", queryset=Partner.objects.all())
    orientation = django_filters.ModelChoiceFilter(
        label="Orientation",
        queryset=OrientationPage.objects.order_by("path"),
        method="filter_orientation",
    )
    action = django_filters.ModelChoiceFilter(
        label="Action", queryset=ActionPage.objects.order_by("path")
    )
    status = django_filters.ChoiceFilter(label="Statut", choices=CommitmentStatus.choices)
    overdue = django_filters.BooleanFilter(label="En retard", method="filter_overdue")

    class Meta:
        model = Commitment
        fields = ["partner", "orientation", "action", "status"]

    def filter_orientation(self, queryset, name, value):
        return queryset.filter(action__path__startswith=value.path) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = {"due_date__lt": timezone.localdate()}
        if value:
            return queryset.filter(**late).exclude(status__in=CLOSED_STATUSES)
        return queryset.exclude(pk__in=queryset.filter(**late).exclude(status__in=CLOSED_STATUSES))


class CommitmentViewSet(SnippetViewSet):
    model = Commitment
    icon = "tasks"
    add_to_admin_menu = True
    menu_label = "Engagements"
    menu_order = 120
    list_display = ["__str__", "status", "progress", "due_date", "updated_at"]
    filterset_class = CommitmentFilterSet
    list_export = [
        "pk",
        "partner",
        "action",
        "position",
        "text",
        "get_status_display",
        "progress",
        "due_date",
        "updated_at",
    ]
    export_headings = {"pk": "Identifiant", "get_status_display": "Statut"}
    export_filename = "engagements"
    list_per_page = 50
    ordering = ["partner__name", "action__number", "position"]

    def get_queryset(self, request):
        return Commitment.objects.select_related("partner", "action")


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "table"
    add_to_admin_menu = True
    menu_label = "Indicateurs"
    menu_order = 140
    list_display = ["name", "kind", "unit", "source_partner"]
    list_filter = ["kind"]
    search_fields = ["name", "definition"]
    list_export = ["name", "kind", "unit", "definition"]
    export_filename = "indicateurs"
