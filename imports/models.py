"""A trace of every confirmed import: who imported which file, when, with what totals."""

from django.conf import settings
from django.db import models

from .choices import ImportKind, UnplacedStatus


class ImportRecord(models.Model):
    """One confirmed (written) import of a file."""

    kind = models.CharField("type de données", max_length=32, choices=ImportKind.choices)
    filename = models.CharField("fichier", max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="importé par",
    )
    created_at = models.DateTimeField("importé le", auto_now_add=True)
    totals = models.JSONField("bilan", default=dict, blank=True)

    class Meta:
        verbose_name = "import"
        verbose_name_plural = "imports"
        ordering = ["-created_at"]
        permissions = [("run_import", "Peut importer des données (fichiers, documents de charte)")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filename}"


class UnplacedLine(models.Model):
    """A line of an imported charter document the reader could not place, kept to be resolved.

    Charter text only (no personal data). The secretariat assigns it to an action and a
    partner, adds it to the preamble or discards it (imports.services).
    """

    charter = models.ForeignKey(
        "charter.CharterPage",
        on_delete=models.CASCADE,
        related_name="unplaced_lines",
        verbose_name="charte",
    )
    import_record = models.ForeignKey(
        ImportRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unplaced_lines",
        verbose_name="import",
    )
    position = models.PositiveIntegerField("rang dans le fichier", default=0)
    location = models.CharField(
        "emplacement dans le fichier",
        max_length=64,
        help_text="Où se trouve la ligne dans le fichier importé : « ligne 12 », « paragraphe 4 »…",
    )
    text = models.TextField("texte")
    reason = models.CharField("pourquoi elle n'a pas été placée", max_length=255, blank=True)
    status = models.CharField(
        "état", max_length=16, choices=UnplacedStatus.choices, default=UnplacedStatus.TO_PLACE
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="traitée par",
    )
    resolved_at = models.DateTimeField("traitée le", null=True, blank=True)
    commitment = models.ForeignKey(
        "engagements.Commitment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="engagement créé",
    )

    class Meta:
        verbose_name = "ligne à placer"
        verbose_name_plural = "lignes à placer"
        ordering = ["charter", "position", "pk"]
        indexes = [models.Index(fields=["charter", "status"], name="unplaced_charter_status")]

    def __str__(self) -> str:
        excerpt = self.text if len(self.text) <= 60 else self.text[:59].rstrip() + "…"
        return f"{self.location.capitalize()} : {excerpt}"
