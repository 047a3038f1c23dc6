"""Charter editions as Wagtail pages: charter → orientation → action, and "published"."""

import datetime
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, Panel
from wagtail.models import (
    Page,
    PageManager,
    PageQuerySet,
    PageViewRestriction,
)
from wagtail.search import index

from core.text import MARKDOWN_HELP
from glossary.selectors import lexicon_for_charter

from ..choices import (
    FICHE_FIELDS,
    CharterStatus,
    DocumentType,
)
from .partners import PartnerRow, commitment_groups


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


def lexicon_for(charter: "CharterPage | None"):
    """The lexicon that marks up acronyms on a charter's pages: its own, else the one in force."""
    lexicon = lexicon_for_charter(charter=charter) if charter is not None else None
    if lexicon:
        return lexicon
    in_force = current_charter()
    return lexicon_for_charter(charter=in_force) if in_force else None


class LegalChecklistPanel(Panel):
    """The legal checklist (décret n° 2016-393), the life-cycle status and the signatures.

    Its template draws them with `{% charter_checklist charter %}` (charter_tags), so the
    models never import the selectors that read them.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "charter/panels/legal_checklist_panel.html"


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

    def signature_records(self) -> dict:
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
        actions = list(ActionPage.objects.descendant_of(self).public().order_by("number"))
        groups = commitment_groups_by_action([action.pk for action in actions])
        by_parent: dict[str, list[ActionPage]] = {}
        for action in actions:
            action.commitment_groups = groups.get(action.pk, [])
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
        context["commitments_by_partner"] = commitment_groups_by_action([self.pk]).get(self.pk, [])
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


# What the charter and action pages show of a commitment (`{% commitments_by_partner %}`).
COMMITMENT_ROW_FIELDS = (
    "pk", "action_id", "text", "status", "due_date", "narrative", "last_reported_at",
)  # fmt: skip
PARTNER_ROW_FIELDS = ("partner_id", "partner__name", "partner__short_name", "partner__slug")


class CommitmentRow(NamedTuple):
    """A commitment as the charter and action pages show it: values, not a model instance (the
    whole-text page draws every commitment of the charter: 10,228 in the bench's `large`)."""

    pk: int
    action_id: int
    text: str
    status: str
    due_date: datetime.date | None
    narrative: str
    last_reported_at: datetime.datetime | None
    # The short names of the partners it is shared with, beside its porteur (« avec X et Y »).
    co_partner_names: tuple[str, ...] = ()


def commitment_groups_by_action(action_ids) -> dict[int, list[tuple[PartnerRow, list]]]:
    """Each action's commitments grouped by partner, in the commitments' order (partner name,
    action, position), with the co-partners of shared ones: one query, a second one only when a
    commitment is shared; rows of values (reverse relation by name: the charter app never
    imports the engagements app)."""
    model = ActionPage._meta.get_field("commitments").related_model
    through = model._meta.get_field("co_partners").remote_field.through
    shared = Exists(through.objects.filter(commitment_id=OuterRef("pk")))
    rows = list(
        model._default_manager.filter(action_id__in=action_ids)
        .annotate(shared=shared)
        .values_list(*COMMITMENT_ROW_FIELDS, "shared", *PARTNER_ROW_FIELDS)
    )
    width = len(COMMITMENT_ROW_FIELDS)
    names: dict[int, list[str]] = {}
    shared_pks = [row[0] for row in rows if row[width]]
    if shared_pks:
        owners = through.objects.filter(commitment_id__in=shared_pks).order_by("partner__name")
        for commitment_id, short_name in owners.values_list("commitment_id", "partner__short_name"):
            names.setdefault(commitment_id, []).append(short_name)
    by_action: dict[int, list] = {}
    for row in rows:
        commitment = CommitmentRow(*row[:width], tuple(names.get(row[0], ())))
        by_action.setdefault(row[1], []).append((commitment, PartnerRow._make(row[width + 1 :])))
    return {action_id: commitment_groups(pairs) for action_id, pairs in by_action.items()}


def current_charter() -> "CharterPage | None":
    """The charter in force on the public site: the newest public charter edition."""
    return (
        CharterPage.objects.public()
        .filter(document_type=DocumentType.CHARTER)
        .order_by("-start_date", "-first_published_at")
        .first()
    )
