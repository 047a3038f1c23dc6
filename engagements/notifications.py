"""E-mails of the partner workspace: a proposer hears when a co-pilot validated or returned it."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from .choices import CommitmentStatus, ProposalStatus
from .models import CommitmentProposal


def _pending_sentence(count: int) -> str:
    if count == 0:
        return "Vous n'avez plus aucune proposition en attente de validation."
    if count == 1:
        return "Il vous reste 1 proposition en attente de validation."
    return f"Il vous reste {count} propositions en attente de validation."


def proposal_review_notify(*, proposal: CommitmentProposal) -> bool:
    """E-mail the proposer that a co-pilot validated or returned it (False: no address)."""
    author = proposal.proposed_by
    if author is None or not author.email:
        return False
    commitment = proposal.commitment
    base_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    edit_url = base_url + reverse(
        "wagtailsnippets_engagements_commitment:edit", args=[commitment.pk]
    )
    mine_url = base_url + reverse("engagements_mine")
    pending = CommitmentProposal.objects.filter(
        proposed_by=author, review_status=ProposalStatus.PENDING
    ).count()
    status = CommitmentStatus(proposal.status).label
    if proposal.review_status == ProposalStatus.VALIDATED:
        subject = "Votre mise à jour est validée"
        lines = [
            f"Un co-pilote a validé votre mise à jour de l'engagement « {commitment} » "
            f"(statut « {status} », avancement {proposal.progress} %) : elle est publiée.",
        ]
    else:
        subject = "Votre mise à jour vous est renvoyée"
        lines = [
            f"Un co-pilote vous renvoie votre mise à jour de l'engagement « {commitment} » "
            f"(statut proposé « {status} ») avec ce commentaire :",
            "",
            proposal.review_comment,
            "",
            f"Reprenez-la ici : {edit_url}",
        ]
    lines += ["", _pending_sentence(pending), f"Mes engagements : {mine_url}"]
    send_mail(
        subject=f"[Charte] {subject}",
        message="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[author.email],
    )
    return True
