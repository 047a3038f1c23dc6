"""Wagtail admin presentation of the lexicon."""

from wagtail.snippets.views.snippets import SnippetViewSet

from core.admin import CHARTER_MENU
from core.choosers import ListingPermissionChooserViewSet

from .models import LexiconEntry


class LexiconEntryViewSet(SnippetViewSet):
    model = LexiconEntry
    chooser_viewset_class = ListingPermissionChooserViewSet
    icon = "doc-full"
    menu_hook = CHARTER_MENU.hook
    menu_label = "Lexique"
    menu_order = 5
    list_display = ["term", "definition", "charter"]
    list_filter = ["charter"]
    list_export = ["term", "definition"]
    export_filename = "lexique"
    ordering = ["term"]
