"""Enumerations of the engagements app, with the allowed status transitions beside them."""

from django.db import models


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Non démarré"
    IN_PROGRESS = "in_progress", "En cours"
    ACHIEVED = "achieved", "Réalisé"
    BLOCKED = "blocked", "Bloqué"
    ABANDONED = "abandoned", "Abandonné"


# Which status may follow which. "En retard" is not a status: it is computed from the due date.
COMMITMENT_STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    CommitmentStatus.NOT_STARTED: frozenset(
        {CommitmentStatus.IN_PROGRESS, CommitmentStatus.ACHIEVED, CommitmentStatus.ABANDONED}
    ),
    CommitmentStatus.IN_PROGRESS: frozenset(
        {CommitmentStatus.ACHIEVED, CommitmentStatus.BLOCKED, CommitmentStatus.ABANDONED}
    ),
    CommitmentStatus.BLOCKED: frozenset({CommitmentStatus.IN_PROGRESS, CommitmentStatus.ABANDONED}),
    CommitmentStatus.ACHIEVED: frozenset({CommitmentStatus.IN_PROGRESS}),
    CommitmentStatus.ABANDONED: frozenset({CommitmentStatus.IN_PROGRESS}),
}

# Statuses after which a commitment is no longer expected to move.
CLOSED_STATUSES = frozenset({CommitmentStatus.ACHIEVED, CommitmentStatus.ABANDONED})


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "En attente de validation"
    VALIDATED = "validated", "Validée"
    RETURNED = "returned", "Renvoyée au partenaire"
