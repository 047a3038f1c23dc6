"""Commitment snippets in the admin, scoped to the user's organisation on every URL."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.functional import classproperty
from django.utils.http import urlencode
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
)
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views import snippets as snippet_views

from core.admin import COMMITMENTS_MENU
from core.choosers import ListingPermissionChooserViewSet
from core.forms import add_service_errors

from ..choices import CommitmentStatus
from ..forms import BulkUpdateForm, CommentForm, CommitmentAdminForm, version_list
from ..models import Commitment, CommitmentProposal
from ..permissions import (
    can_manage,
    check_commitment_access,
    commitment_permission_policy,
    visible_commitments,
    visible_log_entries,
)
from ..selectors import commitment_timeline
from ..services import (
    DETAIL_FIELDS,
    CommitmentConflict,
    commitment_bulk_update,
    commitment_co_partners_set,
    commitment_submit_update,
    validation_required_for,
)
from .filters import CommitmentFilterSet

MANAGE = "engagements.manage_commitment"


class CommitmentSummaryPanel(Panel):
    """What the partner commits to (full text, action, due date) and how the save will go."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "engagements/admin/commitment_summary_panel.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["commitment"] = self.instance
            # Managers edit these fields below; the others read them here.
            context["read_only_details"] = not can_manage(self.request.user)
            context["validation_required"] = validation_required_for(self.request.user)
            context["pending_proposal"] = getattr(self.form, "pending_proposal", None)
            return context


class HiddenFieldPanel(FieldPanel):
    """A hidden form field: its input only, no label."""

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.heading = ""

        def render_html(self, parent_context=None):
            return self.bound_field.as_widget() if self.bound_field is not None else ""


class TimelinePanel(Panel):
    """The commitment's history (internal: with names), newest first."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "engagements/admin/timeline_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            instance = self.instance
            context["timeline"] = commitment_timeline(commitment=instance) if instance.pk else []
            context["proposals"] = (
                instance.proposals.select_related("proposed_by", "reviewed_by")[:10]
                if instance.pk
                else []
            )
            context["comments"] = visible_comments(self.request.user, instance)
            return context


def visible_comments(user, commitment):
    """Internal comments, for the roles allowed to read them."""
    if not commitment.pk or not user.has_perm("engagements.view_commitmentcomment"):
        return []
    return list(commitment.comments.select_related("author")[:50])


class ScopedObjectMixin:
    """Loads the object among the user's visible commitments: 404 otherwise, 403 if read-only."""

    instance_action = "view"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        return check_commitment_access(self.request.user, obj, self.instance_action)


class NextUrlMixin:
    """Return where the user came from: a `next` URL on this host only."""

    def get_next_url(self):
        return get_valid_next_url_from_request(self.request)

    def get_success_url(self):
        return self.get_next_url() or super().get_success_url()


class CommitmentEditView(NextUrlMixin, ScopedObjectMixin, snippet_views.EditView):
    instance_action = "change"

    def get_edit_url(self):
        url = super().get_edit_url()
        next_url = self.get_next_url()
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url

    def save_instance(self):
        data = self.form.cleaned_data
        fields = self.form.fields
        user = self.request.user
        details = {}
        if can_manage(user):
            details = {name: data[name] for name in DETAIL_FIELDS if name in fields}
        extra = {"owner": data["owner"]} if "owner" in fields else {}
        if "evidence_public" in fields:
            extra["evidence_public"] = data["evidence_public"]
        self.result = commitment_submit_update(
            commitment=self.object,
            user=user,
            status=data["status"],
            progress=data["progress"],
            narrative=data.get("narrative", ""),
            internal_note=data.get("internal_note"),
            evidence_document=data.get("evidence_document"),
            evidence_url=data.get("evidence_url", ""),
            reason=data.get("reason", ""),
            expected_version=data.get("expected_version"),
            details=details or None,
            **extra,
        )
        if can_manage(user) and "co_partners" in fields:
            commitment_co_partners_set(
                commitment=Commitment.objects.get(pk=self.object.pk),
                user=user,
                co_partners=data["co_partners"],
                reason=data.get("reason", ""),
            )
        return Commitment.objects.get(pk=self.object.pk)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            self.produced_error_message = (
                "Modification refusée : cet engagement a changé entre-temps."
                if isinstance(error, CommitmentConflict)
                else "L'engagement n'a pas pu être enregistré : corrigez les erreurs ci-dessous."
            )
            return self.form_invalid(form)

    def get_success_message(self):
        if isinstance(getattr(self, "result", None), CommitmentProposal):
            return (
                "Votre mise à jour est enregistrée comme proposition : elle sera publiée "
                "après validation par un co-pilote. Prochaine étape : rien à faire de plus, "
                "vous recevrez un courriel quand elle sera validée ou renvoyée."
            )
        return (
            f"Engagement « {self.object} » mis à jour. Prochaine étape : {next_step(self.object)}"
        )


def next_step(commitment: Commitment) -> str:
    """The step a partner takes after updating this commitment (in the success message)."""
    if commitment.status == CommitmentStatus.ACHIEVED:
        return "aucune, l'engagement est réalisé ; passez aux engagements suivants de la liste."
    if commitment.status == CommitmentStatus.BLOCKED:
        return (
            "signalez le blocage au co-pilote de l'action et repassez « En cours » une fois levé."
        )
    if commitment.status == CommitmentStatus.ABANDONED:
        return "aucune ; passez aux engagements suivants de la liste."
    if commitment.status == CommitmentStatus.NOT_STARTED:
        return "passez-le « En cours » dès son lancement."
    return (
        "mettez à jour son avancement au prochain point ; une fois terminé, passez-le "
        "« Réalisé » avec un justificatif."
    )


class CommitmentDeleteView(ScopedObjectMixin, snippet_views.DeleteView):
    instance_action = "delete"


class CommitmentHistoryView(ScopedObjectMixin, snippet_views.HistoryView):
    # Readers (co-pilots, committee) see the audit log too.
    any_permission_required = ["add", "change", "delete", "view"]

    def get_base_queryset(self):
        return visible_log_entries(self.request.user, super().get_base_queryset())


class CommitmentUsageView(ScopedObjectMixin, snippet_views.UsageView):
    pass


class CommitmentInspectView(ScopedObjectMixin, snippet_views.InspectView):
    template_name = "engagements/admin/commitment_inspect.html"

    def get_field_display_value(self, field_name, field):
        """Wagtail shows an empty field as « None » and a boolean as « True »/« False »."""
        if getattr(self.object, field_name, "") in (None, ""):  # a document, a date, a text…
            return "—"
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return "Oui" if value else "Non"
        return value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timeline"] = commitment_timeline(commitment=self.object)
        context["comments"] = visible_comments(self.request.user, self.object)
        context["comment_form"] = (
            CommentForm()
            if self.request.user.has_perm("engagements.add_commitmentcomment")
            else None
        )
        return context


class CommitmentCopyView(ScopedObjectMixin, snippet_views.CopyView):
    pass


class CommitmentIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return visible_commitments(self.request.user, super().get_base_queryset())


class CommitmentViewSet(snippet_views.SnippetViewSet):
    model = Commitment
    icon = "tasks"
    menu_hook = COMMITMENTS_MENU.hook
    menu_label = "Engagements"
    menu_order = 2
    list_display = ["__str__", "status", "progress", "due_date", "updated_at"]
    filterset_class = CommitmentFilterSet
    list_export = [
        "pk",
        "partner",
        "action",
        "position",
        "text",
        "get_status_display",
        "progress",
        "due_date",
        "evidence_url",
        "evidence_public",
        "updated_at",
    ]
    export_headings = {"pk": "Identifiant", "get_status_display": "Statut"}
    export_filename = "engagements"
    list_per_page = 50
    ordering = ["partner__name", "action__number", "position"]
    inspect_view_enabled = True
    index_view_class = CommitmentIndexView
    # Its bulk bar offers only the actions the user may use.
    index_template_name = "engagements/admin/commitment_index.html"
    edit_view_class = CommitmentEditView
    delete_view_class = CommitmentDeleteView
    history_view_class = CommitmentHistoryView
    usage_view_class = CommitmentUsageView
    inspect_view_class = CommitmentInspectView
    copy_view_class = CommitmentCopyView
    chooser_viewset_class = ListingPermissionChooserViewSet
    inspect_view_fields = [
        "partner",
        "action",
        "text",
        "status",
        "progress",
        "due_date",
        "owner",
        "narrative",
        "last_reported_at",
        "internal_note",
        "evidence_document",
        "evidence_url",
        "evidence_public",
    ]
    # Fields guarded by "manage_commitment" are removed from a partner contributor's form.
    edit_handler = ObjectList(
        [
            CommitmentSummaryPanel(heading="Engagement à mettre à jour"),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [
                            FieldPanel("partner", permission=MANAGE),
                            FieldPanel("action", permission=MANAGE),
                        ]
                    ),
                    FieldPanel("position", permission=MANAGE),
                    FieldPanel("text", permission=MANAGE),
                    FieldPanel(
                        "co_partners", permission=MANAGE, widget=forms.CheckboxSelectMultiple
                    ),
                    FieldPanel("due_date", permission=MANAGE),
                ],
                heading="Engagement",
                permission=MANAGE,
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("status"), FieldPanel("progress")]),
                    FieldPanel("narrative"),
                    FieldPanel("internal_note"),
                    FieldRowPanel([FieldPanel("evidence_document"), FieldPanel("evidence_url")]),
                    FieldPanel("evidence_public"),
                    FieldPanel("owner"),
                    FieldPanel("reason"),
                    HiddenFieldPanel("expected_version"),
                ],
                heading="Avancement",
            ),
            TimelinePanel(heading="Chronologie"),
        ],
        base_form_class=CommitmentAdminForm,
    )

    def get_queryset(self, request):
        return visible_commitments(
            request.user, Commitment.objects.select_related("partner", "action")
        )


class ScopedBulkActionMixin:
    """Bulk actions only ever load the user's visible commitments (404 for any other id)."""

    @classproperty
    def models(cls):
        return [Commitment]

    def get_queryset(self, model, object_ids):
        wanted = {str(pk) for pk in object_ids}
        objects = list(visible_commitments(self.request.user).filter(pk__in=wanted))
        if not objects or len(objects) != len(wanted):
            raise Http404("Engagement introuvable.")
        return objects

    def get_all_objects_in_listing_query(self, parent_id):
        return visible_commitments(self.request.user).values_list("pk", flat=True)


class CommitmentDeleteBulkAction(ScopedBulkActionMixin, DeleteBulkAction):
    @classmethod
    def is_shown_to(cls, user) -> bool:
        """Offered only to users who may delete commitments."""
        return commitment_permission_policy.user_has_permission(user, "delete")

    def check_perm(self, obj):
        return commitment_permission_policy.user_has_permission_for_instance(
            self.request.user, "delete", obj
        )


class CommitmentUpdateBulkAction(ScopedBulkActionMixin, SnippetBulkAction):
    display_name = "Mettre à jour"
    action_type = "update"
    aria_label = "Mettre à jour les engagements sélectionnés"
    template_name = "engagements/admin/bulk_update.html"
    action_priority = 20
    form_class = BulkUpdateForm

    def check_perm(self, obj):
        return commitment_permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    def get_initial(self):
        # The versions shown: the bulk is refused if any of them changes before it is posted.
        objects, _no_access = self.get_actionable_objects()
        return {**super().get_initial(), "versions": version_list(objects)}

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        form = kwargs["self"].cleaned_form
        count = commitment_bulk_update(
            commitments=objects,
            user=user,
            status=form.cleaned_data["status"],
            progress=form.cleaned_data["progress"],
            evidence_url=form.cleaned_data["evidence_url"],
            reason=form.cleaned_data["reason"],
            expected_versions=form.cleaned_data["versions"],
        )
        return count, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        if num_parent_objects == 1:
            return "1 engagement mis à jour."
        return f"{num_parent_objects} engagements mis à jour."
