"""Named, dated versions of a charter: a frozen snapshot of its content and its fingerprint."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from charter.models import CharterPage


class CharterVersion(models.Model):
    """A named version ("Charte 2017", "Avenant n°1 2020"), distinct from editorial revisions."""

    charter = models.ForeignKey(
        CharterPage, on_delete=models.PROTECT, related_name="versions", verbose_name="charte"
    )
    name = models.CharField("nom", max_length=120, help_text="Par exemple : « Avenant n°1 2020 ».")
    effective_date = models.DateField("date d'entrée en vigueur")
    is_public = models.BooleanField(
        "visible sur le site public",
        default=False,
        help_text=(
            "La version en vigueur est la plus récente des versions visibles. Une version "
            "visible ne fige que le contenu publié ; une version non visible fige aussi les "
            "modifications enregistrées mais pas encore publiées (elles sont alors listées)."
        ),
    )
    snapshot = models.JSONField("contenu figé", editable=False)
    fingerprint = models.CharField("empreinte SHA-256", max_length=64, unique=True, editable=False)
    signed_copy = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="exemplaire signé de référence (PDF)",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )

    panels = [
        FieldPanel("charter"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("effective_date")]),
        FieldPanel("is_public"),
        FieldPanel("signed_copy"),
    ]

    class Meta:
        verbose_name = "version de la charte"
        verbose_name_plural = "versions de la charte"
        ordering = ["charter", "-effective_date", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["charter", "name"],
                name="unique_version_name_per_charter",
                violation_error_message="Une version de cette charte porte déjà ce nom.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_date:%d/%m/%Y})"

    def clean(self):
        super().clean()
        if self.is_public and self.drafts:
            raise ValidationError(
                {
                    "is_public": "Cette version contient du contenu non publié ("
                    + " ; ".join(self.drafts)
                    + ") : elle ne peut pas être visible sur le site public. Publiez ces pages, "
                    "puis figez une nouvelle version visible."
                }
            )

    @property
    def drafts(self) -> list[str]:
        """The unpublished content this version froze (empty for a version of published content)."""
        return list((self.snapshot or {}).get("drafts", []))

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint[:12]


@register_setting(icon="image")
class DocumentSettings(BaseGenericSetting):
    """The co-pilots' logos printed on the cover of the charter and of the annual report."""

    state_logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="logo de l'État (préfecture)",
        help_text="Image PNG ou JPEG, fond blanc ou transparent.",
    )
    department_logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="logo du Département",
        help_text="Image PNG ou JPEG, fond blanc ou transparent.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("state_logo"), FieldPanel("department_logo")],
            heading="Logos des co-pilotes (couverture de la charte et du bilan annuel)",
        )
    ]

    class Meta:
        verbose_name = "documents officiels"
