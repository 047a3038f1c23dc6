"""Enumerations of the imports app."""

from django.db import models


class ImportKind(models.TextChoices):
    PARTNERS = "partners", "Partenaires"
    COMMITMENTS = "commitments", "Engagements"
    LEXICON = "lexicon", "Lexique"
    INDICATOR_VALUES = "indicator_values", "Valeurs d'indicateurs"
    CHARTER = "charter", "Document de charte"
