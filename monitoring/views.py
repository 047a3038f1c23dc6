"""Wagtail admin views of the steering committee: dashboards, indicators, review campaigns."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied
from django.views.generic import TemplateView, View
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from core import params as query
from core.forms import add_service_errors
from core.params import BadParameter
from core.text import count_of, french_date
from engagements.choices import CommitmentStatus
from publishing.docx.export import DocxExportError
from publishing.docx.pdf import PDF_CONTENT_TYPE, PdfExportError, docx_to_pdf, pdf_offer

from . import charts, report, selectors, services
from .choices import ReminderKind
from .forms import CampaignOpenForm, CampaignReopenForm, DashboardFilterForm, IndicatorValueForm
from .models import MeetingRecord, ReviewCampaign
from .permissions import can_manage_review, can_view_dashboards, recordable_indicators
from .progress import group_summary

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


class CampaignReportView(DashboardAccessMixin, View):
    """The annual report ("bilan annuel") of a campaign, as DOCX (or PDF/A: `as_pdf`)."""

    as_pdf = False

    def get(self, request, pk: int):
        campaign = get_object_or_404(ReviewCampaign.objects.select_related("charter"), pk=pk)
        try:
            content = report.render_report_docx(campaign)
            if self.as_pdf:
                content = docx_to_pdf(content)
        except (DocxExportError, PdfExportError) as error:
            logger.error("Bilan annuel %s : %s", campaign.pk, error.__cause__ or error)
            messages.error(request, str(error))
            return redirect("monitoring:campaign", pk=campaign.pk)
        extension = "pdf" if self.as_pdf else "docx"
        filename = report.report_filename(campaign, extension)
        return HttpResponse(
            content,
            content_type=PDF_CONTENT_TYPE if self.as_pdf else report.DOCX_CONTENT_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )


class CampaignListView(DashboardAccessMixin, TemplateView):
    template_name = "monitoring/campaigns.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["campaigns"] = ReviewCampaign.objects.select_related("charter", "opened_by")
        context["can_manage"] = can_manage_review(self.request.user)
        context["form"] = kwargs.get("form") or CampaignOpenForm()
        return context

    def post(self, request):
        if not can_manage_review(request.user):
            return forbidden(request)
        form = CampaignOpenForm(request.POST)
        if form.is_valid():
            try:
                campaign = services.campaign_open(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Campagne de bilan {campaign.year} ouverte.")
                return redirect("monitoring:campaign", pk=campaign.pk)
        return self.render_to_response(self.get_context_data(form=form))


class CampaignDetailView(DashboardAccessMixin, TemplateView):
    template_name = "monitoring/campaign_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = get_object_or_404(
            ReviewCampaign.objects.select_related("charter"), pk=kwargs["pk"]
        )
        reference = (
            selectors.last_closed_campaign(charter=campaign.charter, before=campaign)
            if campaign.is_open
            else campaign
        )
        answers = selectors.campaign_answers(campaign=campaign)
        context.update(
            campaign=campaign,
            answers=answers,
            reminders=campaign.reminders.select_related("partner")[:50],
            comparison=selectors.changes_since_last_review(
                charter=campaign.charter, reference=reference
            )
            if reference
            else None,
            can_manage=can_manage_review(self.request.user),
            reopen_refusal=services.campaign_reopen_refusal(campaign=campaign)
            if not campaign.is_open
            else None,
            totals=selectors.answer_totals(answers),
            **pdf_offer(None),
        )
        return context


@require_POST
def campaign_remind(request, pk: int):
    """Send the reminders of an open campaign now (at most one per partner and day)."""
    if not can_manage_review(request.user):
        return forbidden(request)
    campaign = get_object_or_404(ReviewCampaign, pk=pk)
    try:
        report = services.campaign_send_reminders(campaign=campaign, kind=ReminderKind.MANUAL)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = f"{count_of(len(report.sent), 'relance envoyée', 'relances envoyées')}."
        if report.already_sent:
            text += f" Déjà relancés aujourd'hui : {', '.join(report.already_sent)}."
        if report.without_recipient:
            text += f" Sans destinataire : {', '.join(report.without_recipient)}."
        messages.success(request, text)
    return redirect("monitoring:campaign", pk=pk)


def campaign_close(request, pk: int):
    """Close a campaign and freeze its snapshot: a confirmation page first (GET), then POST."""
    if not can_manage_review(request.user):
        return forbidden(request)
    campaign = get_object_or_404(ReviewCampaign.objects.select_related("charter"), pk=pk)
    if request.method != "POST":
        if not campaign.is_open:
            messages.error(request, "Cette campagne est déjà clôturée.")
            return redirect("monitoring:campaign", pk=pk)
        answers = selectors.campaign_answers(campaign=campaign)
        return TemplateResponse(
            request,
            "monitoring/campaign_close_confirm.html",
            {
                "campaign": campaign,
                "days_left": (campaign.deadline - timezone.localdate()).days,
                "pending": sum(answer.pending for answer in answers),
                "silent": [answer.partner for answer in answers if not answer.has_answered],
            },
        )
    try:
        services.campaign_close(campaign=campaign, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Campagne {campaign.year} clôturée ; l'état des engagements est figé. Vous pouvez "
            "la rouvrir tant que le comité de suivi ne s'est pas réuni sur ce bilan.",
        )
    return redirect("monitoring:campaign", pk=pk)


def campaign_reopen(request, pk: int):
    """Reopen a campaign closed too early, with a new deadline (form, then POST)."""
    if not can_manage_review(request.user):
        return forbidden(request)
    campaign = get_object_or_404(ReviewCampaign.objects.select_related("charter"), pk=pk)
    refusal = services.campaign_reopen_refusal(campaign=campaign)
    if refusal:
        messages.error(request, refusal)
        return redirect("monitoring:campaign", pk=pk)
    form = CampaignReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_reopen(
                campaign=campaign, deadline=form.cleaned_data["deadline"], user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Campagne {campaign.year} rouverte jusqu'au "
                f"{form.cleaned_data['deadline']:%d/%m/%Y} : les partenaires peuvent de nouveau "
                "mettre à jour leurs engagements.",
            )
            return redirect("monitoring:campaign", pk=pk)
    return TemplateResponse(
        request, "monitoring/campaign_reopen.html", {"campaign": campaign, "form": form}
    )


def meeting_agenda(request, pk: int):
    """Generate a meeting's agenda from the commitments to examine (confirmation, then POST)."""
    if not can_manage_review(request.user):
        return forbidden(request)
    record = get_object_or_404(MeetingRecord.objects.select_related("meeting", "charter"), pk=pk)
    if request.method == "POST":
        services.meeting_generate_agenda(record=record, user=request.user)
        messages.success(request, "Ordre du jour généré à partir des engagements à examiner.")
        return redirect("wagtailsnippets_monitoring_meetingrecord:edit", record.pk)
    agenda = selectors.agenda_commitments(record=record)
    return TemplateResponse(
        request, "monitoring/meeting_agenda_confirm.html", {"record": record, "agenda": agenda}
    )


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
