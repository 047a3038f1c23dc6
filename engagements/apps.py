from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = "Engagements"

    # Public page cache registry (pages/cache.py): models whose rows public pages, files or the
    # API show (a change invalidates cached pages), and models never shown publicly. Pages are
    # covered by Wagtail's publish signals; `manage.py check` (pages.E002) refuses a model in
    # neither list.
    public_models = ("Commitment",)
    private_models = (
        "WorkspaceSettings",
        "CommitmentProposal",
        "CommitmentComment",
        "PartnerDocumentSpace",
    )

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from .models import Commitment
        from .permissions import commitment_permission_policy

        # Before any view or hook asks for it (else Wagtail creates a fallback policy).
        register_permission_policy(Commitment, commitment_permission_policy)
