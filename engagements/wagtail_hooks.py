from django.urls import path, reverse
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet

from charter.models import Partner, PartnerMembership
from charter.roles import user_partner_id
from core.admin import COMMITMENTS_MENU, RuleMenuItem

from .choices import CommitmentStatus
from .documents import partner_documents_retire, partner_documents_sync, partner_members_sync
from .permissions import can_validate
from .users import UserAssignRoleBulkAction, UserDeleteBulkAction, UserSetActiveStateBulkAction
from .viewsets import (
    CommitmentDeleteBulkAction,
    CommitmentUpdateBulkAction,
    CommitmentViewSet,
    PartnerMembershipViewSet,
    comment_view,
    my_commitments_view,
    proposal_list_view,
    proposal_review_view,
)
from .viewsets.lexicon import UndefinedAcronymsReportView, can_view_lexicon_report

register_snippet(CommitmentViewSet)
register_snippet(PartnerMembershipViewSet)

# After Wagtail's own snippet bulk actions, so that these replace them for commitments.
hooks.register("register_bulk_action", CommitmentDeleteBulkAction, order=100)
hooks.register("register_bulk_action", CommitmentUpdateBulkAction, order=100)

# Same for the user bulk actions (superusers protected, groups limited: engagements/users.py).
for user_bulk_action in (
    UserAssignRoleBulkAction,
    UserDeleteBulkAction,
    UserSetActiveStateBulkAction,
):
    hooks.register("register_bulk_action", user_bulk_action, order=100)


@hooks.register("register_admin_urls")
def register_workspace_urls():
    return [
        path("mes-engagements/", my_commitments_view, name="engagements_mine"),
        path("propositions/", proposal_list_view, name="engagements_proposals"),
        path("propositions/<int:pk>/", proposal_review_view, name="engagements_proposal_review"),
        path("engagements/<int:pk>/commentaires/", comment_view, name="engagements_comment"),
    ]


hooks.register("register_admin_menu_item", COMMITMENTS_MENU.menu_item)


@hooks.register(COMMITMENTS_MENU.hook)
def register_my_commitments_menu_item():
    return RuleMenuItem(
        "Mes engagements",
        reverse("engagements_mine"),
        icon_name="list-ul",
        order=1,
        shown_to=lambda user: user_partner_id(user) is not None,
    )


@hooks.register(COMMITMENTS_MENU.hook)
def register_proposals_menu_item():
    return RuleMenuItem(
        "Propositions à valider",
        reverse("engagements_proposals"),
        icon_name="check",
        order=3,
        shown_to=can_validate,
    )


@hooks.register("register_log_actions")
def register_commitment_log_actions(actions):
    @actions.register_action("engagements.change_status")
    class ChangeStatus(LogFormatter):
        label = "Changement de statut"

        def format_message(self, log_entry):
            data = log_entry.data
            labels = dict(CommitmentStatus.choices)
            return (
                f"Statut : {labels.get(data.get('from'), '?')} → {labels.get(data.get('to'), '?')}"
                f" — motif : « {data.get('reason', '')} »"
            )

    @actions.register_action("engagements.update")
    class Update(LogFormatter):
        label = "Mise à jour"

        def format_message(self, log_entry):
            changed = log_entry.data.get("changed", [])
            reason = log_entry.data.get("reason") or "—"
            return f"Mise à jour ({', '.join(changed)}) — motif : « {reason} »"

    actions.register_action(
        "engagements.propose", "Proposition", "Mise à jour proposée, en attente de validation"
    )
    actions.register_action(
        "engagements.validate", "Validation", "Proposition validée par un co-pilote"
    )
    actions.register_action("engagements.comment", "Commentaire", "Commentaire interne ajouté")
    actions.register_action(
        "engagements.return", "Renvoi", "Proposition renvoyée au partenaire avec un commentaire"
    )


# Report « Sigles non définis » (acronyms of the public texts missing from the lexicon).


@hooks.register("register_admin_urls")
def register_lexicon_report_urls():
    view = UndefinedAcronymsReportView
    return [
        path("rapports/sigles-non-definis/", view.as_view(), name=view.index_url_name),
        path(
            "rapports/sigles-non-definis/resultats/",
            view.as_view(results_only=True),
            name=view.index_results_url_name,
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_lexicon_report_menu_item():
    return RuleMenuItem(
        "Sigles non définis",
        reverse("glossary_undefined_acronyms"),
        icon_name="warning",
        order=800,
        shown_to=can_view_lexicon_report,
    )


# Document rights follow partners and their members (engagements/documents.py).
@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def sync_partner_documents(request, instance):
    if isinstance(instance, Partner):
        partner_documents_sync(partner=instance)
    elif isinstance(instance, PartnerMembership):
        partner_members_sync()


@hooks.register("after_delete_snippet")
def retire_partner_documents(request, instances):
    if any(isinstance(instance, Partner) for instance in instances):
        partner_documents_retire()
    if any(isinstance(instance, PartnerMembership) for instance in instances):
        partner_members_sync()
