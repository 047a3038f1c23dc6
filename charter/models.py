"""Charter content: editions as Wagtail pages (orientations → actions), partners, signatures."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from .choices import FICHE_FIELDS, CharterStatus, DocumentType, PartnerKind, SignatoryRole

MARKDOWN_HELP = "Texte au format Markdown : « - » en début de ligne pour une liste."


class Partner(index.Indexed, models.Model):
    """An organisation that signs the charter and takes commitments."""

    name = models.CharField("nom", max_length=255, unique=True)
    short_name = models.CharField(
        "sigle ou nom court", max_length=80, help_text="Par exemple : CAF, DRIHL, ADIL 75."
    )
    slug = models.SlugField("identifiant d'URL", max_length=100, unique=True)
    kind = models.CharField(
        "catégorie", max_length=32, choices=PartnerKind.choices, default=PartnerKind.OTHER
    )
    website = models.URLField("site internet", blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("short_name"), FieldPanel("slug")]),
        FieldPanel("kind"),
        FieldPanel("website"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = "partenaire"
        verbose_name_plural = "partenaires"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name if self.short_name != self.name else self.name


class PartnerMembership(models.Model):
    """Links a user account to the one partner organisation it works for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_membership",
        verbose_name="utilisateur",
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="memberships", verbose_name="partenaire"
    )

    class Meta:
        verbose_name = "membre d'un partenaire"
        verbose_name_plural = "membres des partenaires"

    def __str__(self) -> str:
        return f"{self.user} ({self.partner})"


class CharterPage(Page):
    """One edition of a charter (or of the départemental plan it belongs to)."""

    document_type = models.CharField(
        "type de document",
        max_length=16,
        choices=DocumentType.choices,
        default=DocumentType.CHARTER,
    )
    territory = models.CharField("territoire", max_length=120)
    lifecycle_status = models.CharField(
        "étape du cycle de vie",
        max_length=32,
        choices=CharterStatus.choices,
        default=CharterStatus.DRAFT,
    )
    start_date = models.DateField("date d'entrée en vigueur", null=True, blank=True)
    end_date = models.DateField("date de fin", null=True, blank=True)
    duration_years = models.PositiveSmallIntegerField("durée (années)", null=True, blank=True)
    introduction = models.TextField("préambule", blank=True, help_text=MARKDOWN_HELP)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("document_type"), FieldPanel("territory")]),
        FieldPanel("lifecycle_status"),
        FieldRowPanel(
            [FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("duration_years")],
            heading="Durée",
        ),
        FieldPanel("introduction"),
        InlinePanel("signatories", heading="Signataires", label="signataire"),
        InlinePanel("declarations", heading="Déclarations des signataires", label="déclaration"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("territory"),
        index.SearchField("introduction"),
    ]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["charter.OrientationPage"]

    class Meta:
        verbose_name = "charte (édition)"
        verbose_name_plural = "chartes (éditions)"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError(
                {"end_date": "La date de fin doit suivre la date d'entrée en vigueur."}
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        orientations = list(OrientationPage.objects.child_of(self).live().order_by("number"))
        actions = ActionPage.objects.descendant_of(self).live().order_by("number")
        by_parent: dict[str, list[ActionPage]] = {}
        for action in actions:
            by_parent.setdefault(action.path[: -Page.steplen], []).append(action)
        for orientation in orientations:
            orientation.action_list = by_parent.get(orientation.path, [])
        context["orientations"] = orientations
        context["signatories"] = self.signatories.select_related("partner")
        context["declarations"] = self.declarations.all()
        return context


class Signatory(Orderable):
    """A partner signing one charter edition, with the person who signs for it."""

    charter = ParentalKey(CharterPage, on_delete=models.CASCADE, related_name="signatories")
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="signatures", verbose_name="partenaire"
    )
    role = models.CharField(
        "rôle", max_length=16, choices=SignatoryRole.choices, default=SignatoryRole.PARTNER
    )
    signer_name = models.CharField("nom du signataire", max_length=160, blank=True)
    signer_title = models.CharField("qualité du signataire", max_length=160, blank=True)
    signed_on = models.DateField("date de signature", null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("partner"), FieldPanel("role")]),
        FieldRowPanel(
            [FieldPanel("signer_name"), FieldPanel("signer_title"), FieldPanel("signed_on")]
        ),
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
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="declarations", verbose_name="partenaire"
    )
    title = models.CharField("titre", max_length=255)
    text = models.TextField("texte", help_text=MARKDOWN_HELP)
    place = models.CharField("lieu", max_length=120, blank=True)
    signed_on = models.DateField("date", null=True, blank=True)
    signer_name = models.CharField("signataire", max_length=160, blank=True)
    signer_title = models.CharField("qualité du signataire", max_length=160, blank=True)

    panels = [
        FieldPanel("partner"),
        FieldPanel("title"),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("place"), FieldPanel("signed_on")]),
        FieldRowPanel([FieldPanel("signer_name"), FieldPanel("signer_title")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "déclaration"
        verbose_name_plural = "déclarations"

    def __str__(self) -> str:
        return self.title


class OrientationPage(Page):
    """A strategic orientation of the charter, grouping its actions."""

    number = models.PositiveSmallIntegerField("numéro")
    introduction = models.TextField("introduction", blank=True, help_text=MARKDOWN_HELP)
    stakes = models.TextField("enjeux", blank=True, help_text=MARKDOWN_HELP)

    content_panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("title")]),
        FieldPanel("introduction"),
        FieldPanel("stakes"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["charter.CharterPage"]
    subpage_types = ["charter.ActionPage"]

    class Meta:
        verbose_name = "orientation"
        verbose_name_plural = "orientations"

    def __str__(self) -> str:
        return f"Orientation {self.number} : {self.title}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["actions"] = ActionPage.objects.child_of(self).live().order_by("number")
        return context


class ActionPage(Page):
    """An action of an orientation, with the fields of its "fiche action"."""

    number = models.PositiveSmallIntegerField(
        "numéro", help_text="Rang de l'action (dans la charte ou dans l'orientation du plan)."
    )
    code = models.CharField(
        "code",
        max_length=16,
        help_text="Numéro affiché : « 7 » dans la charte, « 3-1 » dans le plan.",
    )
    tagline = models.CharField("accroche", max_length=255, blank=True)
    constats = models.TextField("constats", blank=True, help_text=MARKDOWN_HELP)
    pilots = models.TextField("pilotes de l'action", blank=True, help_text=MARKDOWN_HELP)
    target_audience = models.TextField("publics visés", blank=True, help_text=MARKDOWN_HELP)
    associated_partners = models.TextField(
        "partenaires associés", blank=True, help_text=MARKDOWN_HELP
    )
    objectives = models.TextField("objectifs", blank=True, help_text=MARKDOWN_HELP)
    points_of_vigilance = models.TextField(
        "points de vigilance", blank=True, help_text=MARKDOWN_HELP
    )
    operating_procedures = models.TextField(
        "modalités opératoires", blank=True, help_text=MARKDOWN_HELP
    )
    resources = models.TextField("moyens", blank=True, help_text=MARKDOWN_HELP)
    implementation_timeline = models.TextField("délai de mise en œuvre", blank=True)
    evaluation_indicators = models.TextField(
        "indicateurs d'évaluation", blank=True, help_text=MARKDOWN_HELP
    )
    legal_framework = models.TextField("cadre juridique", blank=True, help_text=MARKDOWN_HELP)
    related_actions = ParentalManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="referenced_by",
        verbose_name="liens avec d'autres fiches",
    )

    content_panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("code")]),
        FieldPanel("title"),
        FieldPanel("tagline"),
        MultiFieldPanel(
            [FieldPanel(name) for name, _label in FICHE_FIELDS],
            heading="Fiche action",
        ),
        FieldPanel("related_actions"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("code"),
        *(index.SearchField(name) for name, _label in FICHE_FIELDS),
    ]
    parent_page_types = ["charter.OrientationPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "action"
        verbose_name_plural = "actions"

    def __str__(self) -> str:
        return f"Action {self.code} : {self.title}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_actions"] = self.related_actions.live().order_by("path")
        # Reverse relation by name: the charter app never imports the engagements app.
        grouped: dict[Partner, list] = {}
        for commitment in self.commitments.select_related("partner").order_by(
            "partner__name", "position"
        ):
            grouped.setdefault(commitment.partner, []).append(commitment)
        context["commitments_by_partner"] = list(grouped.items())
        return context

    @property
    def fiche(self) -> list[tuple[str, str, str]]:
        """The filled fiche fields as (name, label, markdown), in the order of the fiche."""
        return [
            (name, label, getattr(self, name))
            for name, label in FICHE_FIELDS
            if getattr(self, name).strip()
        ]
