"""Enumerations of the imports app."""

from django.db import models


class ImportKind(models.TextChoices):
    PARTNERS = "partners", "Partenaires"
    COMMITMENTS = "commitments", "Engagements"
    LEXICON = "lexicon", "Lexique"
    INDICATOR_VALUES = "indicator_values", "Valeurs d'indicateurs"
    CHARTER = "charter", "Document de charte"


class UnplacedStatus(models.TextChoices):
    """Where a line the charter importer could not place stands."""

    TO_PLACE = "to_place", "À placer"
    ASSIGNED = "assigned", "Affectée à une action"
    PREAMBLE = "preamble", "Ajoutée au préambule"
    DISCARDED = "discarded", "Écartée"


# Each line is resolved once: from « À placer » to one of the three outcomes, never back.
UNPLACED_TRANSITIONS: dict[str, set[str]] = {
    UnplacedStatus.TO_PLACE: {
        UnplacedStatus.ASSIGNED,
        UnplacedStatus.PREAMBLE,
        UnplacedStatus.DISCARDED,
    },
    UnplacedStatus.ASSIGNED: set(),
    UnplacedStatus.PREAMBLE: set(),
    UnplacedStatus.DISCARDED: set(),
}
