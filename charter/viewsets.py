"""Wagtail admin presentation of the charter app (partners, actions)."""

import django_filters
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import PageTitleColumn
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .choices import PartnerKind
from .models import ActionPage, CharterPage, OrientationPage, Partner


class PartnerFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label="Catégorie", choices=PartnerKind.choices)

    class Meta:
        model = Partner
        fields = ["kind"]


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    add_to_admin_menu = True
    menu_label = "Partenaires"
    menu_order = 100
    list_display = ["name", "short_name", "kind"]
    filterset_class = PartnerFilterSet
    list_export = ["name", "short_name", "kind", "website"]
    export_filename = "partenaires"
    ordering = ["name"]


class ActionFilterSet(PageFilterSet):
    charter = django_filters.ModelChoiceFilter(
        label="Charte ou plan",
        queryset=CharterPage.objects.all(),
        method="filter_descendant_of",
    )
    orientation = django_filters.ModelChoiceFilter(
        label="Orientation",
        queryset=OrientationPage.objects.order_by("path"),
        method="filter_descendant_of",
    )

    class Meta:
        model = ActionPage
        fields = []

    def filter_descendant_of(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path) if value else queryset


class ActionListingViewSet(PageListingViewSet):
    model = ActionPage
    icon = "list-ol"
    add_to_admin_menu = True
    menu_label = "Actions"
    menu_order = 110
    name = "actions"
    filterset_class = ActionFilterSet
    columns = [
        Column("code", label="N°", sort_key="number", width="8%"),
        PageTitleColumn("title", label="Action", classname="title"),
        Column("parent", label="Orientation", accessor="get_parent"),
        Column(
            "latest_revision_created_at", label="Mise à jour", sort_key="latest_revision_created_at"
        ),
    ]
