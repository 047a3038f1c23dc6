"""Who signs a charter edition, who signed it and when, declarations, mayors' requests."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import (
    Orderable,
)

from core.text import MARKDOWN_HELP

from ..choices import (
    SignatoryRole,
    SignatureStatus,
)
from .pages import CharterPage
from .partners import organisation_field


class Signatory(Orderable):
    """A partner signing one charter edition, with the person who signs for it."""

    charter = ParentalKey(CharterPage, on_delete=models.CASCADE, related_name="signatories")
    partner = organisation_field(related_name="signatory_entries")
    role = models.CharField(
        "rôle", max_length=16, choices=SignatoryRole.choices, default=SignatoryRole.PARTNER
    )
    authority_title = models.CharField(
        "autorité signataire",
        max_length=255,
        blank=True,
        help_text=(
            "Le titre de l'autorité qui signe, tel qu'il figure sous la signature : par exemple "
            "« Le préfet de la région d'Île-de-France, préfet de Paris » ou « La maire de Paris »."
        ),
    )

    # Who signed, when, and the signed copy: the charter's Signature records (one per partner),
    # entered in « Signatures », never here.
    panels = [
        FieldRowPanel([FieldPanel("partner"), FieldPanel("role")]),
        FieldPanel("authority_title"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "signataire"
        verbose_name_plural = "signataires"
        constraints = [
            models.UniqueConstraint(
                fields=["charter", "partner"], name="unique_signatory_per_charter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.charter}"


class Declaration(Orderable):
    """Reservations a signatory attaches to its signature (e.g. the UNPI's declaration)."""

    charter = ParentalKey(CharterPage, on_delete=models.CASCADE, related_name="declarations")
    partner = organisation_field(related_name="declarations")
    title = models.CharField("titre", max_length=255)
    text = models.TextField("texte", help_text=MARKDOWN_HELP)
    place = models.CharField("lieu", max_length=120, blank=True)
    signed_on = models.DateField("date", null=True, blank=True)

    # The declaration is signed by whoever signs for its partner (the partner's Signature).
    panels = [
        FieldPanel("partner"),
        FieldPanel("title"),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("place"), FieldPanel("signed_on")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "déclaration"
        verbose_name_plural = "déclarations"

    def __str__(self) -> str:
        return self.title


class MayorInvitationRequest(Orderable):
    """A mayor who wishes to be invited to the CCAPEX meetings about the commune's residents."""

    charter = ParentalKey(
        CharterPage, on_delete=models.CASCADE, related_name="mayor_invitation_requests"
    )
    commune = models.CharField("commune", max_length=160)
    mayor_name = models.CharField("maire", max_length=160)
    requested_on = models.DateField("date de la demande")

    panels = [FieldRowPanel([FieldPanel("commune"), FieldPanel("mayor_name")]), "requested_on"]

    class Meta(Orderable.Meta):
        verbose_name = "demande d'invitation d'un maire"
        verbose_name_plural = "maires souhaitant être invités à la CCAPEX"

    def __str__(self) -> str:
        return f"{self.mayor_name} ({self.commune})"


class Signature(models.Model):
    """The one record of a partner's signature of a charter: state, signer, date, signed scan.

    Every screen, file and export (editor checklist, workflow, public pages, snapshot, DOCX)
    reads who signed and when from here.
    """

    charter = models.ForeignKey(
        CharterPage, on_delete=models.CASCADE, related_name="signatures", verbose_name="charte"
    )
    partner = organisation_field(related_name="signature_records")
    status = models.CharField(
        "état", max_length=16, choices=SignatureStatus.choices, default=SignatureStatus.PENDING
    )
    signer_name = models.CharField("nom du signataire", max_length=160, blank=True)
    signer_title = models.CharField("qualité du signataire", max_length=160, blank=True)
    signed_on = models.DateField("date de signature", null=True, blank=True)
    signed_scan = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="exemplaire signé (PDF)",
        help_text="Le scan signé fait foi : il devient l'exemplaire de référence.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistrée par",
    )
    updated_at = models.DateTimeField("mise à jour", auto_now=True)

    class Meta:
        verbose_name = "signature"
        verbose_name_plural = "signatures"
        ordering = ["charter", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["charter", "partner"],
                name="unique_signature_per_charter_partner",
                violation_error_message="La signature de ce partenaire est déjà suivie.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} — {self.get_status_display()}"

    def clean(self):
        super().clean()
        if self.status == SignatureStatus.SIGNED:
            errors = {}
            if not self.signed_on:
                errors["signed_on"] = "Indiquez la date de signature."
            if self.signed_scan_id and not self.signed_scan.file.name.lower().endswith(".pdf"):
                errors["signed_scan"] = "L'exemplaire signé doit être un fichier PDF."
            if errors:
                raise ValidationError(errors)
