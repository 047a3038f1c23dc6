"""Wagtail admin views of the yearly review: campaigns, reminders, closing, annual report."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView, View

from core.forms import add_service_errors
from core.text import count_of
from publishing.docx.export import DocxExportError
from publishing.docx.pdf import PDF_CONTENT_TYPE, PdfExportError, docx_to_pdf, pdf_offer

from .. import report, selectors, services
from ..choices import ReminderKind
from ..forms import CampaignOpenForm, CampaignReopenForm
from ..models import MeetingRecord, ReviewCampaign
from ..permissions import can_manage_review
from .dashboards import DashboardAccessMixin, forbidden

logger = logging.getLogger(__name__)


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
