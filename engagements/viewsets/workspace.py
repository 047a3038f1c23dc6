"""The partner workspace: "Mes engagements" and the co-pilots' review of proposals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView, View
from wagtail.admin.auth import require_admin_access
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from charter.models import Partner, PartnerMembership
from charter.roles import user_partner_id
from core.admin import CHARTER_MENU
from core.choosers import ListingPermissionChooserViewSet

from ..choices import CLOSED_STATUSES, CommitmentStatus, ProposalStatus
from ..forms import CommentForm, PartnerMembershipForm, ProposalReturnForm
from ..models import CommitmentProposal
from ..permissions import can_validate, visible_commitments
from ..selectors import commitment_changes_since, last_committee_meeting
from ..services import (
    DETAIL_FIELDS,
    PROGRESS_FIELDS,
    commitment_comment_add,
    commitment_proposal_return,
    commitment_proposal_validate,
)
from .filters import CommitmentFilterSet, filter_stale


class MyCommitmentsFilterSet(CommitmentFilterSet):
    class Meta(CommitmentFilterSet.Meta):
        fields = ["orientation", "action", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.filters["partner"]


class MyCommitmentsView(TemplateView):
    """A partner contributor's own organisation's commitments, with filters and completeness."""

    template_name = "engagements/admin/my_commitments.html"

    def dispatch(self, request, *args, **kwargs):
        self.partner_id = user_partner_id(request.user)
        if self.partner_id is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Listed: its own commitments, those it co-owns and the collective partner's in the
        # charters it signs (`visible_commitments`); counted: its own only (figures per porteur).
        listed = visible_commitments(self.request.user)
        base = listed.filter(partner_id=self.partner_id)
        filters = MyCommitmentsFilterSet(self.request.GET or None, queryset=listed)
        queryset = (
            (filters.qs if filters.is_bound else listed)
            .select_related("action", "evidence_document", "partner")
            .prefetch_related("co_partners")
        )
        totals = base.aggregate(
            total=Count("pk"),
            achieved=Count("pk", filter=Q(status=CommitmentStatus.ACHIEVED)),
            closed=Count("pk", filter=Q(status__in=CLOSED_STATUSES)),
            progress=Avg("progress"),
        )
        meeting = last_committee_meeting()
        reported = base.count() - filter_stale(base, True).count()
        total = totals["total"] or 0
        page = Paginator(queryset.order_by("action__path", "position"), 50).get_page(
            self.request.GET.get("p")
        )
        pending = set(
            CommitmentProposal.objects.filter(
                commitment__in=base, review_status=ProposalStatus.PENDING
            ).values_list("commitment_id", flat=True)
        )
        returned = CommitmentProposal.objects.filter(
            commitment__in=base, review_status=ProposalStatus.RETURNED
        ).select_related("commitment", "reviewed_by")[:10]
        context.update(
            {
                "partner": Partner.objects.get(pk=self.partner_id),
                "filters": filters,
                "page_obj": page,
                "pending_ids": pending,
                "returned": returned,
                "meeting": meeting,
                "total": total,
                "achieved": totals["achieved"],
                "achieved_rate": round(100 * totals["achieved"] / total) if total else 0,
                "average_progress": round(totals["progress"] or 0),
                "reported": reported,
                "reported_rate": round(100 * reported / total) if total else 0,
                "overdue": base.overdue().count(),
                "header_title": "Mes engagements",
                # Edit and bulk update come back here, with the same filters and page.
                "here": self.request.get_full_path(),
                "next_query": urlencode({"next": self.request.get_full_path()}),
                "active_filters": sum(
                    1 for name in filters.filters if self.request.GET.get(name) not in (None, "")
                ),
            }
        )
        return context


class ProposalListView(TemplateView):
    """Pending proposals, for co-pilots and the secretariat."""

    template_name = "engagements/admin/proposals.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_validate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proposals"] = CommitmentProposal.objects.filter(
            review_status=ProposalStatus.PENDING
        ).select_related("commitment__partner", "commitment__action", "proposed_by")
        context["header_title"] = "Propositions à valider"
        return context


class ProposalReviewView(TemplateView):
    """Validate a proposal (applied through the service) or return it with a comment."""

    template_name = "engagements/admin/proposal_review.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_validate(request.user):
            raise PermissionDenied
        self.proposal = get_object_or_404(
            CommitmentProposal.objects.select_related("commitment", "proposed_by"),
            pk=kwargs["pk"],
        )
        if not visible_commitments(request.user).filter(pk=self.proposal.commitment_id).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("return_form", ProposalReturnForm())
        proposal, commitment = self.proposal, self.proposal.commitment
        context["proposal"] = proposal
        context["commitment"] = commitment
        # Validation applies the proposal to the version it was written from: once the commitment
        # has changed since, say what changed; the co-pilot can only return it to the partner.
        if (
            proposal.review_status == ProposalStatus.PENDING
            and commitment.version != proposal.base_version
        ):
            context["changed_since"] = commitment_changes_since(
                commitment=commitment,
                version=proposal.base_version,
                fields=(*PROGRESS_FIELDS, *DETAIL_FIELDS),
            )
        context["header_title"] = "Examiner une proposition"
        return context

    def post(self, request, *args, **kwargs):
        form = ProposalReturnForm(request.POST)
        try:
            if "validate" in request.POST:
                commitment_proposal_validate(proposal=self.proposal, user=request.user)
                messages.success(request, "Proposition validée : l'engagement est mis à jour.")
            else:
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(return_form=form))
                commitment_proposal_return(
                    proposal=self.proposal, user=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, "Proposition renvoyée au partenaire.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.render_to_response(self.get_context_data(return_form=form))
        return redirect(reverse("engagements_proposals"))


class CommitmentCommentView(View):
    """Post an internal comment on a commitment (committee, co-pilots, secretariat)."""

    def post(self, request, pk):
        commitment = get_object_or_404(visible_commitments(request.user), pk=pk)
        form = CommentForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Le commentaire est vide.")
        else:
            commitment_comment_add(
                commitment=commitment, user=request.user, text=form.cleaned_data["text"]
            )
            messages.success(request, "Commentaire ajouté.")
        return redirect(reverse("wagtailsnippets_engagements_commitment:inspect", args=[pk]))


my_commitments_view = require_admin_access(MyCommitmentsView.as_view())
comment_view = require_admin_access(CommitmentCommentView.as_view())
proposal_list_view = require_admin_access(ProposalListView.as_view())
proposal_review_view = require_admin_access(ProposalReviewView.as_view())


class PartnerMembershipViewSet(SnippetViewSet):
    """Which user account works for which partner (the secretariat manages it)."""

    model = PartnerMembership
    chooser_viewset_class = ListingPermissionChooserViewSet
    icon = "group"
    menu_hook = CHARTER_MENU.hook
    menu_label = "Comptes partenaires"
    menu_order = 3
    list_display = ["user", "partner"]
    list_filter = ["partner"]
    edit_handler = ObjectList(
        [FieldPanel("user"), FieldPanel("partner")], base_form_class=PartnerMembershipForm
    )
