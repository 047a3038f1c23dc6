"""Wagtail admin views of the steering committee: dashboards, exports, indicators."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.views.defaults import permission_denied
from django.views.generic import TemplateView, View
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from core import params as query
from core.forms import add_service_errors
from core.params import BadParameter
from core.text import count_of, french_date
from engagements.choices import CommitmentStatus

from .. import charts, selectors, services
from ..forms import DashboardFilterForm, IndicatorValueForm
from ..permissions import can_view_dashboards, recordable_indicators
from ..progress import group_summary

logger = logging.getLogger(__name__)

TABLES = {
    "orientations": ("by_orientation", "Orientation", "Avancement par orientation"),
    "actions": ("by_action", "Action", "Avancement par action"),
    "partenaires": ("by_partner", "Partenaire", "Fiche de suivi par partenaire"),
}
FIGURE_COLUMNS = [
    "label",
    "total",
    "n_not_started",
    "n_in_progress",
    "n_achieved",
    "n_blocked",
    "n_abandoned",
    "achieved_share",
    "overdue",
    "stale",
    "pending",
    "completeness",
    "last_update",
]
FIGURE_HEADINGS = {
    "total": "Engagements",
    "n_not_started": "Non démarrés",
    "n_in_progress": "En cours",
    "n_achieved": "Réalisés",
    "n_blocked": "Bloqués",
    "n_abandoned": "Abandonnés",
    "achieved_share": "Part réalisée (%)",
    "overdue": "En retard",
    "stale": "Non mis à jour depuis le dernier comité",
    "pending": "À mettre à jour (campagne)",
    "completeness": "Taux de renseignement (%)",
    "last_update": "Dernière mise à jour",
}


def forbidden(request):
    """A real 403 response (Wagtail turns a raised PermissionDenied into a redirect)."""
    return permission_denied(request, PermissionDenied())


class DashboardAccessMixin:
    """Restrict a view to the dashboards' readers (403 for everybody else)."""

    def dispatch(self, request, *args, **kwargs):
        if not can_view_dashboards(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


def _dashboard_for(request):
    """(form, figures); no figures when a filter is invalid (the form then says why, in French)."""
    form = DashboardFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else {}
    charter = data.get("charter") or selectors.default_charter()
    if charter is None:
        return form, None
    result = selectors.dashboard(
        charter=charter, filters=form.filters() if request.GET else None, as_of=data.get("as_of")
    )
    return form, result


def _filter_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label if name in form.fields else 'Filtres'} : {' '.join(errors)}"
        for name, errors in form.errors.items()
    )


def export_refused(message: str) -> HttpResponseBadRequest:
    """A 400 answer to an export link whose parameters are invalid (plain French text)."""
    return HttpResponseBadRequest(
        f"Export impossible : {message}", content_type="text/plain; charset=utf-8"
    )


def summary(rows, what: str) -> str:
    """The dashboard's one-line reading of a table (the public progress page's sentence)."""
    return group_summary(rows, what, empty="Aucun engagement ne correspond aux filtres.")


def headline(result) -> str:
    """The one-line reading of the whole dashboard."""
    totals = result.totals
    text = (
        f"{count_of(totals.total, 'engagement')} : "
        f"{count_of(totals.achieved, 'réalisé')} ({totals.achieved_share} %), "
        f"{totals.overdue} en retard"
    )
    if totals.stale is not None:
        text += f", {totals.stale} non mis à jour depuis le {result.last_meeting}"
    if result.campaign is not None:
        text += (
            f", taux de renseignement de la campagne {result.campaign.year} : "
            f"{totals.completeness} %"
        )
    return text + "."


def key_figures(result) -> list[tuple[str, str, str]]:
    """The figures the committee asks first: (label, figure, detail), in reading order."""
    totals = result.totals
    share = lambda n: f"{round(100 * n / totals.total)} %" if totals.total else "—"  # noqa: E731
    in_progress = totals.by_status.get(CommitmentStatus.IN_PROGRESS, 0)
    figures = [
        ("Réalisés", str(totals.achieved), f"{share(totals.achieved)} des {totals.total}"),
        ("En cours", str(in_progress), f"{share(in_progress)} des {totals.total}"),
        ("En retard", str(totals.overdue), "échéance dépassée, non clos"),
    ]
    if totals.stale is not None:
        figures.append(
            (
                "Non mis à jour",
                str(totals.stale),
                f"depuis le comité du {french_date(result.last_meeting.date)}",
            )
        )
    if result.campaign is not None:
        figures.append(
            (
                "Taux de renseignement",
                f"{totals.completeness} %",
                f"campagne de bilan {result.campaign.year}",
            )
        )
    return figures


class DashboardView(DashboardAccessMixin, TemplateView):
    template_name = "monitoring/dashboard.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=400 if context["form"].errors else 200)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, result = _dashboard_for(self.request)
        sections = []
        if result is not None:
            for slug, (attribute, heading, title) in TABLES.items():
                rows = getattr(result, attribute)
                sections.append(
                    {
                        "slug": slug,
                        "title": title,
                        "heading": heading,
                        "rows": rows,
                        "summary": summary(rows, f"{heading.lower()}s"),
                        "chart": charts.status_bars(
                            rows=rows, chart_id=f"chart-{slug}", title=f"{title} (par statut)"
                        ),
                    }
                )
        context.update(
            form=form,
            dashboard=result,
            key_figures=key_figures(result) if result else [],
            headline=headline(result) if result else "",
            sections=sections,
            query=self.request.GET.urlencode(),
            statuses=CommitmentStatus.choices,
        )
        return context


class DashboardExportView(DashboardAccessMixin, SpreadsheetExportMixin, View):
    """CSV or XLSX export of one dashboard table, with the same filters as the page."""

    list_export = FIGURE_COLUMNS
    export_headings = FIGURE_HEADINGS

    def get(self, request, table: str):
        if table not in TABLES:
            return forbidden(request)
        attribute, heading, title = TABLES[table]
        self.sheet_title = title
        self.export_headings = {**FIGURE_HEADINGS, "label": heading}
        try:
            export_format = query.choice(
                request.GET, "export", self.FORMATS, default=self.FORMAT_CSV
            )
        except BadParameter as error:
            return export_refused(str(error))
        form, result = _dashboard_for(request)
        if form.errors:
            return export_refused(
                f"{_filter_errors(form)} Corrigez les filtres sur le tableau de bord, puis "
                "relancez l'export."
            )
        rows = getattr(result, attribute) if result else []
        as_of = result.as_of if result else timezone.localdate()
        self.export_filename = f"suivi-{table}-{as_of:%Y-%m-%d}"
        return self.as_spreadsheet(rows, export_format)


class IndicatorsView(DashboardAccessMixin, TemplateView):
    template_name = "monitoring/indicators.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        series = selectors.indicator_series()
        context["series"] = [
            {
                "series": item,
                "chart": charts.year_chart(series=item, chart_id=f"indicator-{item.indicator.pk}")
                if item.has_figures
                else None,
            }
            for item in series
        ]
        return context


class IndicatorExportView(DashboardAccessMixin, SpreadsheetExportMixin, View):
    """Every yearly value and target of every indicator, one row per indicator and year."""

    list_export = ["name", "unit", "year", "value", "target", "source", "recorded_on", "narrative"]
    export_headings = {
        "name": "Indicateur",
        "unit": "Unité",
        "year": "Année",
        "value": "Valeur",
        "target": "Cible",
        "source": "Source",
        "recorded_on": "Date de la donnée",
        "narrative": "Commentaire qualitatif",
    }
    export_filename = "indicateurs-valeurs"
    sheet_title = "Valeurs des indicateurs"

    def get(self, request):
        try:
            export_format = query.choice(
                request.GET, "export", self.FORMATS, default=self.FORMAT_CSV
            )
        except BadParameter as error:
            return export_refused(str(error))
        rows = [
            {
                "name": item.indicator.name,
                "unit": item.indicator.unit,
                "year": point.year,
                "value": point.value,
                "target": point.target,
                "source": point.source,
                "recorded_on": point.recorded_on,
                "narrative": point.narrative,
            }
            for item in selectors.indicator_series()
            for point in item.points
        ]
        return self.as_spreadsheet(rows, export_format)

    def to_row_dict(self, item):
        return {field: item[field] for field in self.list_export}


class IndicatorValueEntryView(TemplateView):
    """The source partner (or the secretariat) enters an indicator's yearly value."""

    template_name = "monitoring/indicator_values.html"

    def dispatch(self, request, *args, **kwargs):
        self.indicators = recordable_indicators(request.user)
        if not self.indicators.exists():
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        try:
            indicator = query.integer(request.GET, "indicateur")
            if indicator is not None and not self.indicators.filter(pk=indicator).exists():
                raise BadParameter(
                    "Cet indicateur n'existe pas ou vous ne pouvez pas le renseigner : "
                    "choisissez-le dans la liste."
                )
        except BadParameter as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(), status=400)
        return self.render_to_response(self.get_context_data(indicator=indicator))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or IndicatorValueForm(
            indicators=self.indicators, initial={"indicator": kwargs.get("indicator")}
        )
        context["series"] = selectors.indicator_series(indicators=self.indicators)
        return context

    def post(self, request):
        form = IndicatorValueForm(request.POST, indicators=self.indicators)
        if form.is_valid():
            try:
                entry = services.indicator_value_record(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Valeur {entry.year} enregistrée : {entry.indicator}.")
                return redirect("monitoring:indicator_values")
        return self.render_to_response(self.get_context_data(form=form))
