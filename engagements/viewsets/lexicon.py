"""Admin report « Sigles non définis »: acronyms of the public texts missing from the lexicon."""

from django.core.exceptions import PermissionDenied
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from ..lexicon_report import undefined_acronyms

PERMISSION = "glossary.add_lexiconentry"  # the secretariat (and superusers)


def can_view_lexicon_report(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


class PlacesColumn(Column):
    cell_template_name = "engagements/admin/lexicon_report_places_cell.html"


class UndefinedAcronymsReportView(ReportView):
    page_title = "Sigles non définis"
    header_icon = "warning"
    index_url_name = "glossary_undefined_acronyms"
    index_results_url_name = "glossary_undefined_acronyms_results"
    paginate_by = 100
    export_filename = "sigles-non-definis"
    list_export = ["charter.title", "acronym", "count", "places_text"]
    export_headings = {
        "charter.title": "Charte",
        "acronym": "Sigle",
        "count": "Occurrences",
        "places_text": "Où",
    }
    columns = [
        Column("charter", label="Charte"),
        Column("acronym", label="Sigle"),
        Column("count", label="Occurrences"),
        PlacesColumn("places", label="Où"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if not can_view_lexicon_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def no_results_message(self):
        return "Tous les sigles employés dans les textes publics figurent dans le lexique."

    def get_queryset(self):
        rows = undefined_acronyms()
        finder = AdminURLFinder(self.request.user)
        for row in rows:
            for place in row.places:
                place.url = finder.get_edit_url(place.obj) or ""
        return rows
