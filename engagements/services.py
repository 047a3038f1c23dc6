"""Domain verbs that change commitments: every state change goes through here."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.log_actions import log

from .choices import COMMITMENT_STATUS_TRANSITIONS, CommitmentStatus
from .models import Commitment


def commitment_change_status(
    *,
    commitment: Commitment,
    user: AbstractBaseUser | None,
    status: str,
    reason: str,
) -> Commitment:
    """Move a commitment to an allowed new status, recording who, when and why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif du changement de statut."})
    if status not in CommitmentStatus.values:
        raise ValidationError({"status": f"Statut inconnu : « {status} »."})
    with transaction.atomic():
        # Lock the row so that two concurrent changes cannot both start from the same status.
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        previous = CommitmentStatus(locked.status)
        target = CommitmentStatus(status)
        if target not in COMMITMENT_STATUS_TRANSITIONS[previous]:
            message = f"Un engagement « {previous.label} » ne peut pas passer à « {target.label} »."
            raise ValidationError({"status": message})
        locked.status = target
        if target == CommitmentStatus.ACHIEVED:
            locked.progress = 100
        locked._change_reason = reason
        locked._history_user = user
        locked.save(update_fields=["status", "progress", "updated_at"])
        log(
            instance=locked,
            action="engagements.change_status",
            user=user,
            data={"from": previous.value, "to": target.value, "reason": reason},
        )
    commitment.refresh_from_db()
    return commitment
