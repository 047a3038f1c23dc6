"""Wagtail admin presentation of the lexicon."""

from wagtail.snippets.views.snippets import SnippetViewSet

from core.choosers import ListingPermissionChooserViewSet

from .models import LexiconEntry


class LexiconEntryViewSet(SnippetViewSet):
    model = LexiconEntry
    chooser_viewset_class = ListingPermissionChooserViewSet
    icon = "doc-full"
    add_to_admin_menu = True
    menu_label = "Lexique"
    menu_order = 130
    list_display = ["term", "definition", "charter"]
    list_filter = ["charter"]
    list_export = ["term", "definition"]
    export_filename = "lexique"
    ordering = ["term"]
