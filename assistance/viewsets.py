"""Wagtail admin presentation of the contacts directory."""

from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from core.choosers import ListingPermissionChooserViewSet

from .models import Contact


class ContactViewSet(SnippetViewSet):
    model = Contact
    chooser_viewset_class = ListingPermissionChooserViewSet
    icon = "mail"
    add_to_admin_menu = True
    menu_label = "Annuaire"
    menu_order = 135
    list_display = ["name", "phone", "territory", Column("stage_count", label="Étapes")]
    list_filter = ["territory", "stages"]
    list_export = ["name", "what_they_do", "phone", "address", "website", "hours", "territory"]
    export_filename = "annuaire-des-contacts"
    ordering = ["name"]
    index_results_template_name = "assistance/admin/contact_index_results.html"
    search_fields = ["name", "what_they_do", "territory", "phone"]
