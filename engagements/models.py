"""Partners' commitments per action, with their full change history."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.documents import get_document_model_string
from wagtail.search import index

from charter.choices import PartnerKind
from charter.models import ActionPage, Partner, public_page_q
from core.text import MARKDOWN_HELP

from .choices import CLOSED_STATUSES, CommitmentStatus, ProposalStatus

PUBLIC_NARRATIVE_HELP = (
    "Rendu public sur le site, avec sa date : ce qui a été fait, ce qui reste à faire. "
    + MARKDOWN_HELP
)
INTERNAL_NOTE_HELP = (
    "Jamais publiée : lue seulement par le comité de suivi, les co-pilotes, le secrétariat et "
    "votre organisation."
)


EVIDENCE_PUBLIC_HELP = (
    "Quand l'engagement est « Réalisé », le site public montre le lien du justificatif, et son "
    "document s'il est déposé dans la collection « Justificatifs publiés » de votre organisation. "
    "Les documents de la collection « Justificatifs » restent privés."
)


def overdue_q(today: datetime.date | None = None) -> models.Q:
    """The one definition of « en retard »: due before `today` (Paris) and still open.

    Its Python twin is `is_overdue_on`; every page, file, export and dashboard uses one of them.
    """
    return models.Q(due_date__lt=today or timezone.localdate()) & ~models.Q(
        status__in=CLOSED_STATUSES
    )


def is_overdue_on(*, due_date: datetime.date | None, status: str, today=None) -> bool:
    """`overdue_q` for one commitment's values, in Python."""
    return bool(
        due_date and due_date < (today or timezone.localdate()) and status not in CLOSED_STATUSES
    )


class CommitmentQuerySet(models.QuerySet):
    def for_charter(self, charter):
        return self.filter(action__path__startswith=charter.path)

    def overdue(self, today: datetime.date | None = None):
        return self.filter(overdue_q(today))

    def public(self):
        """Commitments anonymous visitors may see: their action is public (`public_page_q`)."""
        return self.filter(public_page_q("action__"))


class IndexedHistoricalRecords(HistoricalRecords):
    """HistoricalRecords whose historical model also gets `indexes` (simple-history has no option).

    The indexes go into the historical model's Meta, so makemigrations writes them.
    """

    def __init__(self, *args, indexes: list[models.Index] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.indexes = list(indexes)

    def get_meta_options(self, model):
        meta = super().get_meta_options(model)
        meta["indexes"] = [*meta.get("indexes", ()), *self.indexes]
        return meta


def shared_with_phrase(names: list[str]) -> str:
    """« avec X », « avec X et Y », « avec X, Y et Z » (nothing without a name)."""
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
    return f"avec {listed}"


class Commitment(index.Indexed, models.Model):
    """What one partner commits to do for one action of the charter."""

    action = models.ForeignKey(
        ActionPage, on_delete=models.PROTECT, related_name="commitments", verbose_name="action"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="commitments", verbose_name="partenaire"
    )
    # « Partenaires associés »: the partners who share the commitment with its porteur
    # (`partner`, who answers for it in every figure).
    co_partners = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="shared_commitments",
        verbose_name="partenaires associés",
        help_text=(
            "Les signataires qui portent cet engagement avec le partenaire porteur. "
            "L'engagement reste compté une seule fois, chez son porteur."
        ),
    )
    position = models.PositiveSmallIntegerField(
        "rang", default=1, help_text="Ordre de l'engagement parmi ceux du partenaire pour l'action."
    )
    text = models.TextField("engagement", help_text=MARKDOWN_HELP)
    status = models.CharField(
        "statut",
        max_length=16,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.NOT_STARTED,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_commitments",
        verbose_name="responsable",
        help_text="Une personne de l'organisation partenaire.",
    )
    due_date = models.DateField("échéance", null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        "avancement (%)",
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    narrative = models.TextField(
        "point d'avancement",
        blank=True,
        help_text=PUBLIC_NARRATIVE_HELP,
    )
    internal_note = models.TextField(
        "note interne",
        blank=True,
        help_text=INTERNAL_NOTE_HELP,
    )
    evidence_document = models.ForeignKey(
        get_document_model_string(),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="justificatif (document)",
    )
    evidence_url = models.URLField(
        "justificatif (lien)",
        max_length=500,
        blank=True,
        help_text="Adresse d'une page ou d'un document publié qui atteste la réalisation.",
    )
    evidence_public = models.BooleanField(
        "publier le justificatif",
        default=False,
        help_text=EVIDENCE_PUBLIC_HELP,
    )
    in_signed_text = models.BooleanField(
        "engagement du texte signé",
        default=False,
        help_text=(
            "Engagement pris dans le texte signé de la charte : son historique public commence "
            "à la date de signature."
        ),
    )
    last_reported_at = models.DateTimeField(
        "dernier point d'avancement", null=True, blank=True, editable=False
    )
    version = models.PositiveIntegerField(
        "version",
        default=1,
        editable=False,
        help_text="Incrémentée à chaque modification (contrôle des modifications concurrentes).",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("dernière mise à jour", auto_now=True)

    history = IndexedHistoricalRecords(
        verbose_name="historique de l'engagement",
        excluded_fields=["created_at"],
        m2m_fields=["co_partners"],
        # The newest row of each commitment at a date (monitoring's « état au »).
        indexes=[
            models.Index(
                fields=["id", "-history_date", "-history_id"], name="hist_commitment_latest_idx"
            )
        ],
    )
    objects = CommitmentQuerySet.as_manager()

    # The admin form (with the reason and the version) is in viewsets.CommitmentViewSet.
    panels = [
        FieldRowPanel([FieldPanel("partner"), FieldPanel("action")]),
        FieldPanel("position"),
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("progress")]),
        FieldRowPanel([FieldPanel("owner"), FieldPanel("due_date")]),
    ]
    search_fields = [
        index.SearchField("text"),
        index.AutocompleteField("text"),
        index.RelatedFields(
            "partner", [index.SearchField("name"), index.SearchField("short_name")]
        ),
        index.RelatedFields("action", [index.SearchField("title")]),
        index.FilterField("id"),  # `visible_commitments` narrows searches by id (permissions)
        index.FilterField("partner"),
        index.FilterField("action"),
        index.FilterField("status"),
        index.FilterField("due_date"),
    ]

    class Meta:
        verbose_name = "engagement"
        verbose_name_plural = "engagements"
        ordering = ["partner__name", "action__number", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "action", "position"],
                name="unique_commitment_position",
                violation_error_message=(
                    "Ce partenaire a déjà un engagement à ce rang pour cette action."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="commitment_progress_max_100"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]
        permissions = [
            ("view_all_commitments", "Peut consulter les engagements de tous les partenaires"),
            (
                "manage_commitment",
                "Peut modifier le partenaire, l'action, le texte et l'échéance d'un engagement",
            ),
            ("validate_commitment", "Peut valider les mises à jour proposées par les partenaires"),
        ]

    def __str__(self) -> str:
        first_line = self.text.strip().splitlines()[0] if self.text.strip() else ""
        summary = first_line if len(first_line) <= 80 else first_line[:79] + "…"
        return f"{self.partner} · action {self.action.code} · {summary}"

    def clean(self):
        super().clean()
        if self.owner_id and self.partner_id:
            membership = getattr(self.owner, "partner_membership", None)
            if membership is None or membership.partner_id != self.partner_id:
                raise ValidationError(
                    {"owner": "Le responsable doit être un membre de l'organisation partenaire."}
                )

    @property
    def is_collective(self) -> bool:
        """Made by all the signatories together: its porteur is « Ensemble des signataires »."""
        return self.partner.kind == PartnerKind.COLLECTIVE

    @property
    def is_shared(self) -> bool:
        """Owned by several partners (reads the prefetched co-partners)."""
        return self.is_collective or bool(self.co_partners.all())

    def shared_with(self, *, partner_id: int | None = None) -> str:
        """« avec X et Y » (its owners but `partner_id`), « avec l'ensemble des signataires »."""
        if self.is_collective:
            return "avec l'ensemble des signataires"
        return shared_with_phrase(
            [
                str(owner)
                for owner in [self.partner, *self.co_partners.all()]
                if owner.pk != partner_id
            ]
        )

    @property
    def is_overdue(self) -> bool:
        """Past its due date and neither achieved nor abandoned ("en retard")."""
        return is_overdue_on(due_date=self.due_date, status=self.status)


@register_setting(icon="lock")
class WorkspaceSettings(BaseGenericSetting):
    """Secretariat switches of the partner workspace."""

    require_validation = models.BooleanField(
        "validation des mises à jour par un co-pilote",
        default=False,
        help_text=(
            "Si cette case est cochée, la mise à jour d'un partenaire reste « proposée » tant "
            "qu'un co-pilote ne l'a pas validée ; le public ne voit que les valeurs validées."
        ),
    )

    panels = [FieldPanel("require_validation")]

    class Meta:
        verbose_name = "espace partenaires"


class CommitmentProposal(models.Model):
    """A partner's update waiting for a co-pilot's validation (when validation is enabled)."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="proposals", verbose_name="engagement"
    )
    # Where the proposal stands (pending, validated, returned); `status` is the commitment status
    # it proposes, like `progress` and `narrative` (the same names as on Commitment).
    review_status = models.CharField(
        "état", max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    status = models.CharField("statut proposé", max_length=16, choices=CommitmentStatus.choices)
    progress = models.PositiveSmallIntegerField(
        "avancement proposé (%)", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    narrative = models.TextField(
        "point d'avancement proposé", blank=True, help_text=PUBLIC_NARRATIVE_HELP
    )
    internal_note = models.TextField(
        "note interne proposée", blank=True, help_text=INTERNAL_NOTE_HELP
    )
    evidence_document = models.ForeignKey(
        get_document_model_string(),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="justificatif (document)",
    )
    evidence_url = models.URLField("justificatif (lien)", max_length=500, blank=True)
    evidence_public = models.BooleanField("publier le justificatif", default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="responsable proposé",
    )
    reason = models.TextField("motif", blank=True)
    base_version = models.PositiveIntegerField("version de départ")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="commitment_proposals",
        verbose_name="proposé par",
    )
    proposed_at = models.DateTimeField("proposé le", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="examiné par",
    )
    reviewed_at = models.DateTimeField("examiné le", null=True, blank=True)
    review_comment = models.TextField("commentaire du co-pilote", blank=True)

    class Meta:
        verbose_name = "proposition de mise à jour"
        verbose_name_plural = "propositions de mise à jour"
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment"],
                condition=models.Q(review_status="pending"),
                name="one_pending_proposal_per_commitment",
                violation_error_message=(
                    "Une proposition est déjà en attente de validation pour cet engagement."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Proposition du {self.proposed_at:%d/%m/%Y} · {self.commitment}"


class CommitmentComment(models.Model):
    """An internal note on a commitment (committee, co-pilots, secretariat); never published."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="comments", verbose_name="engagement"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="auteur",
    )
    text = models.TextField("commentaire", help_text=MARKDOWN_HELP)
    created_at = models.DateTimeField("écrit le", auto_now_add=True)

    class Meta:
        verbose_name = "commentaire interne"
        verbose_name_plural = "commentaires internes"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Commentaire du {self.created_at:%d/%m/%Y} · {self.commitment}"


class PartnerDocumentSpace(models.Model):
    """A partner's evidence collection and the user group of its members (see documents.py).

    `partner` becomes empty when the partner is deleted: the collection stays, as an archive
    readable by the committee roles only (`partner_documents_retire`).
    """

    partner = models.OneToOneField(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        related_name="document_space",
        verbose_name="partenaire",
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        on_delete=models.CASCADE,
        related_name="partner_space",
        verbose_name="collection de documents",
    )
    # « Justificatifs publiés — <partenaire> »: no view restriction, so a document there may be
    # shown on the public site (a commitment « Réalisé » whose evidence the partner publishes).
    public_collection = models.OneToOneField(
        "wagtailcore.Collection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner_public_space",
        verbose_name="collection des justificatifs publiés",
    )
    group = models.OneToOneField(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        related_name="partner_space",
        verbose_name="groupe des membres",
    )

    class Meta:
        verbose_name = "espace documentaire d'un partenaire"
        verbose_name_plural = "espaces documentaires des partenaires"

    def __str__(self) -> str:
        return str(self.collection)
