"""Charter content: editions as Wagtail pages (orientations → actions), partners, signatures."""

import contextlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    AbstractGroupApprovalTask,
    Orderable,
    Page,
    PageManager,
    PageQuerySet,
    PageViewRestriction,
)
from wagtail.search import index

from core.text import MARKDOWN_HELP

from .choices import (
    FICHE_FIELDS,
    CharterStatus,
    DocumentType,
    PartnerKind,
    SignatoryRole,
    SignatureStatus,
)
from .panels import LegalChecklistPanel


def public_page_q(prefix: str = "") -> Q:
    """The one definition of « publié » for a page: what anonymous visitors may see.

    The page is live, no ancestor below the tree root is unpublished, and neither the page nor
    an ancestor has a view restriction (password, login, groups). `prefix` reaches the page
    through a relation (``"action__"`` for a commitment). Pure SQL: no extra query.
    """
    path = OuterRef(f"{prefix}path")
    unpublished_ancestor = Page.objects.filter(
        live=False, depth__gt=1, path=Substr(path, 1, Length(F("path")))
    )
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(path, 1, Length(F("page__path")))
    )
    return Q(**{f"{prefix}live": True}) & ~Exists(unpublished_ancestor) & ~Exists(restricted)


class PublicPageQuerySet(PageQuerySet):
    """Pages of the charter tree, with `public()`: live, every ancestor live, not restricted."""

    def public(self):
        """Only what anonymous visitors may see (`public_page_q`); Wagtail's own `public()` only
        leaves out view restrictions, not unpublished ancestors."""
        return self.filter(public_page_q())


class PublicPageManager(PageManager.from_queryset(PublicPageQuerySet)):
    pass


class PublicBranchMixin:
    """An unpublished charter or orientation hides its whole branch at its URLs too.

    Wagtail's routing only checks that the last page is live; `public_page_q` wants every
    ancestor live: no page is served below one that is not (no extra query).
    """

    def route(self, request, path_components):
        if path_components and not self.live:
            raise Http404("Cette page n'est pas publiée.")
        return super().route(request, path_components)


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


def group_by_partner(commitments) -> list[tuple[Partner, list]]:
    """Commitments grouped by partner, in the order given."""
    grouped: dict[Partner, list] = {}
    for commitment in commitments:
        grouped.setdefault(commitment.partner, []).append(commitment)
    return list(grouped.items())


def lexicon_for(charter: "CharterPage | None"):
    """The lexicon that marks up acronyms on a charter's pages: its own, else the one in force."""
    from glossary.selectors import lexicon_for_charter

    from .selectors import current_charter

    lexicon = lexicon_for_charter(charter=charter) if charter is not None else None
    if lexicon:
        return lexicon
    in_force = current_charter()
    return lexicon_for_charter(charter=in_force) if in_force else None


class CharterPage(PublicBranchMixin, Page):
    """One edition of a charter (or of the départemental plan it belongs to)."""

    objects = PublicPageManager()

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
    # Whether a published text of this charter is in force: set when the life cycle reaches
    # « Publiée », kept while an amendment goes through the workflow again (lifecycle_status then
    # follows the amendment), cleared when the charter is superseded. Only the services change it.
    in_force = models.BooleanField("en vigueur", default=False, editable=False)
    start_date = models.DateField("date d'entrée en vigueur", null=True, blank=True)
    end_date = models.DateField("date de fin", null=True, blank=True)
    duration_years = models.PositiveSmallIntegerField("durée (années)", null=True, blank=True)
    introduction = models.TextField("préambule", blank=True, help_text=MARKDOWN_HELP)
    quantitative_objectives = models.TextField(
        "objectifs quantitatifs", blank=True, help_text=MARKDOWN_HELP
    )
    qualitative_objectives = models.TextField(
        "objectifs qualitatifs", blank=True, help_text=MARKDOWN_HELP
    )
    governance = models.TextField(
        "modalités de suivi, d'évaluation et de révision", blank=True, help_text=MARKDOWN_HELP
    )
    no_mayor_request = models.BooleanField(
        "aucun maire n'a demandé à être invité",
        default=False,
        help_text="À cocher si la liste des maires souhaitant être invités à la CCAPEX est vide.",
    )
    # « Fait à …, le …, en N exemplaires originaux » under the signature blocks.
    signing_place = models.CharField(
        "lieu de signature", max_length=120, blank=True, help_text="Par exemple : « Paris »."
    )
    signing_date = models.DateField(
        "date de signature",
        null=True,
        blank=True,
        help_text="Laissée vide, la date est complétée à la main sur les exemplaires.",
    )
    original_copies = models.PositiveSmallIntegerField(
        "nombre d'exemplaires originaux",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="En général, un exemplaire par signataire.",
    )

    content_panels = [
        *Page.content_panels,
        LegalChecklistPanel(heading="Contrôle légal (décret n° 2016-393)"),
        FieldRowPanel([FieldPanel("document_type"), FieldPanel("territory")]),
        FieldRowPanel(
            [FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("duration_years")],
            heading="Durée",
        ),
        FieldPanel("introduction"),
        MultiFieldPanel(
            [FieldPanel("quantitative_objectives"), FieldPanel("qualitative_objectives")],
            heading="Objectifs",
        ),
        FieldPanel("governance"),
        InlinePanel("signatories", heading="Signataires", label="signataire"),
        FieldRowPanel(
            [
                FieldPanel("signing_place"),
                FieldPanel("signing_date"),
                FieldPanel("original_copies"),
            ],
            heading="« Fait à …, le …, en … exemplaires originaux »",
        ),
        InlinePanel("declarations", heading="Déclarations des signataires", label="déclaration"),
        MultiFieldPanel(
            [
                InlinePanel("mayor_invitation_requests", label="demande"),
                FieldPanel("no_mayor_request"),
            ],
            heading="Maires souhaitant être invités aux réunions de la CCAPEX",
        ),
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

    def signature_records(self) -> dict[int, "Signature"]:
        """The charter's signature records (who signed, when), by partner id."""
        return {s.partner_id: s for s in self.signatures.all()}

    def get_workflow(self):
        """The charter's life-cycle workflow (assigned to the page type), else the page tree's."""
        return type(self).get_default_workflow() or super().get_workflow()

    def with_content_json(self, content):
        """Keep the stored life-cycle status and in-force flag: only the services change them."""
        obj = super().with_content_json(content)
        obj.lifecycle_status = self.lifecycle_status
        obj.in_force = self.in_force
        return obj

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        orientations = list(OrientationPage.objects.child_of(self).public().order_by("number"))
        # The whole text on one page: every action with its fiche and its commitments
        # (reverse relation by name: the charter app never imports the engagements app).
        actions = (
            ActionPage.objects.descendant_of(self)
            .public()
            .order_by("number")
            .prefetch_related("commitments__partner")
        )
        by_parent: dict[str, list[ActionPage]] = {}
        for action in actions:
            action.commitment_groups = group_by_partner(action.commitments.all())
            by_parent.setdefault(action.path[: -Page.steplen], []).append(action)
        for orientation in orientations:
            orientation.action_list = by_parent.get(orientation.path, [])
        context["orientations"] = orientations
        # Who signed and when: the charter's Signature records, one query for both lists.
        records = self.signature_records()
        context["signatories"] = list(self.signatories.select_related("partner"))
        context["declarations"] = list(self.declarations.select_related("partner"))
        for item in (*context["signatories"], *context["declarations"]):
            item.signature = records.get(item.partner_id)
        context["lexicon"] = lexicon_for(self)
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
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="declarations", verbose_name="partenaire"
    )
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


class OrientationPage(PublicBranchMixin, Page):
    """A strategic orientation of the charter, grouping its actions."""

    objects = PublicPageManager()

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
        context["actions"] = ActionPage.objects.child_of(self).public().order_by("number")
        context["charter"] = CharterPage.objects.ancestor_of(self).live().first()
        context["lexicon"] = lexicon_for(context["charter"])
        return context


class ActionPage(Page):
    """An action of an orientation, with the fields of its "fiche action"."""

    objects = PublicPageManager()

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
        context["related_actions"] = self.related_actions.public().order_by("path")
        # Reverse relation by name: the charter app never imports the engagements app.
        context["commitments_by_partner"] = group_by_partner(
            self.commitments.select_related("partner").order_by("partner__name", "position")
        )
        context["orientation"] = OrientationPage.objects.parent_of(self).first()
        context["charter"] = CharterPage.objects.ancestor_of(self).live().first()
        context["lexicon"] = lexicon_for(context["charter"])
        return context

    @property
    def fiche(self) -> list[tuple[str, str, str]]:
        """The filled fiche fields as (name, label, markdown), in the order of the fiche."""
        return [
            (name, label, getattr(self, name))
            for name, label in FICHE_FIELDS
            if getattr(self, name).strip()
        ]


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
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="signature_records",
        verbose_name="partenaire",
    )
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


class CharterLifecycleTask(AbstractGroupApprovalTask):
    """A step of the charter's workflow, approved by a group; approval moves the life cycle."""

    status_on_approval = models.CharField(
        "étape du cycle de vie atteinte à l'approbation",
        max_length=32,
        choices=CharterStatus.choices,
        blank=True,
    )

    admin_form_fields = [*AbstractGroupApprovalTask.admin_form_fields, "status_on_approval"]

    class Meta:
        verbose_name = "étape du cycle de vie de la charte"
        verbose_name_plural = "étapes du cycle de vie de la charte"

    def _charter(self, obj) -> CharterPage | None:
        specific = getattr(obj, "specific", obj)
        return specific if isinstance(specific, CharterPage) else None

    def approval_blockers(self, obj) -> list[str]:
        """Why this step cannot be approved yet for this charter (empty list: it can)."""
        from .services import lifecycle_blockers

        charter = self._charter(obj)
        if charter is None or not self.status_on_approval:
            return []
        return lifecycle_blockers(charter=charter, status=self.status_on_approval)

    def start(self, workflow_state, user=None):
        from .services import charter_reopen_drafting

        charter = self._charter(workflow_state.content_object)
        first = workflow_state.workflow.workflow_tasks.order_by("sort_order").first()
        if charter is not None and first is not None and first.task_id == self.pk:
            # A signed charter cannot go back to drafting: the editor's checklist panel then
            # shows why this step cannot be approved.
            with contextlib.suppress(ValidationError):
                charter_reopen_drafting(charter=charter, user=user)
        return super().start(workflow_state, user=user)

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if self.approval_blockers(obj):
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        from .services import charter_change_lifecycle_status

        charter = self._charter(task_state.workflow_state.content_object)
        if action_name == "approve" and charter is not None:
            blockers = self.approval_blockers(charter)
            if blockers:
                raise ValidationError(" ".join(blockers))
        super().on_action(task_state, user, action_name, **kwargs)
        if action_name == "approve" and charter is not None and self.status_on_approval:
            charter.refresh_from_db()
            charter_change_lifecycle_status(
                charter=charter,
                user=user,
                status=self.status_on_approval,
                reason=f"Étape « {self.name} » approuvée. {kwargs.get('comment', '')}".strip(),
            )
