"""Wagtail admin presentation of indicators, their targets, committee meetings and decisions."""

from wagtail.snippets.views.snippets import SnippetViewSet

from core.admin import COMMITTEE_MENU
from core.choosers import ListingPermissionChooserViewSet

from .models import Decision, Indicator, IndicatorTarget, MeetingRecord


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    chooser_viewset_class = ListingPermissionChooserViewSet
    icon = "table"
    menu_hook = COMMITTEE_MENU.hook
    menu_label = "Indicateurs"
    menu_order = 3
    list_display = ["name", "kind", "unit", "source_partner"]
    list_filter = ["kind"]
    search_fields = ["name", "definition"]
    list_export = ["name", "kind", "unit", "definition"]
    export_filename = "indicateurs"


class IndicatorTargetViewSet(SnippetViewSet):
    model = IndicatorTarget
    chooser_viewset_class = ListingPermissionChooserViewSet
    icon = "pick"
    menu_hook = COMMITTEE_MENU.hook
    menu_label = "Cibles des indicateurs"
    menu_order = 8
    list_display = ["indicator", "year", "value"]
    list_filter = ["year"]
    list_export = ["indicator", "year", "value", "comment"]
    export_filename = "cibles-indicateurs"


class MeetingRecordViewSet(SnippetViewSet):
    model = MeetingRecord
    chooser_viewset_class = ListingPermissionChooserViewSet
    icon = "group"
    menu_hook = COMMITTEE_MENU.hook
    menu_label = "Comptes rendus"
    menu_order = 6
    list_display = ["__str__", "charter", "campaign"]
    list_filter = ["charter"]
    list_export = ["meeting", "place", "charter", "campaign", "attendees", "agenda", "minutes"]
    export_filename = "comptes-rendus-comite"

    def get_queryset(self, request):
        return MeetingRecord.objects.select_related("meeting", "charter", "campaign")


class DecisionViewSet(SnippetViewSet):
    model = Decision
    chooser_viewset_class = ListingPermissionChooserViewSet
    icon = "success"
    menu_hook = COMMITTEE_MENU.hook
    menu_label = "Décisions du comité"
    menu_order = 7
    list_display = ["__str__", "meeting"]
    list_filter = ["meeting"]
    list_export = ["meeting", "text", "actions", "commitments"]
    export_filename = "decisions-comite"

    def get_queryset(self, request):
        return Decision.objects.select_related("meeting")
