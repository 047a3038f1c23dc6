from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .viewsets import CommitmentViewSet, IndicatorViewSet

register_snippet(CommitmentViewSet)
register_snippet(IndicatorViewSet)


@hooks.register("register_log_actions")
def register_commitment_log_actions(actions):
    actions.register_action(
        "engagements.change_status", "Changement de statut", "Changement de statut de l'engagement"
    )
