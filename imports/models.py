"""A trace of every confirmed import: who imported which file, when, with what totals."""

from django.conf import settings
from django.db import models

from .choices import ImportKind


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
