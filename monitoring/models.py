"""Steering-committee follow-up: meetings, indicators, targets, review campaigns, decisions."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from charter.models import ActionPage, CharterPage, Partner
from core.text import MARKDOWN_HELP
from engagements.models import Commitment

from .choices import CampaignStatus, IndicatorKind, ReminderKind

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class CommitteeMeeting(models.Model):
    """A steering-committee meeting (minimal: `monitoring.MeetingRecord` holds the rest).

    The latest past meeting dates the "not updated since the last meeting" filter.
    """

    date = models.DateField("date")
    title = models.CharField("intitulé", max_length=255, default="Comité de suivi")

    panels = [FieldPanel("date"), FieldPanel("title")]

    class Meta:
        db_table = "engagements_committeemeeting"  # created by engagements (moved here, table kept)
        verbose_name = "réunion du comité de suivi"
        verbose_name_plural = "réunions du comité de suivi"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.title} du {self.date:%d/%m/%Y}"

    @classmethod
    def latest_past(cls, today: datetime.date | None = None) -> "CommitteeMeeting | None":
        """The most recent meeting held on or before today."""
        return cls.objects.filter(date__lte=today or timezone.localdate()).first()


class Indicator(models.Model):
    """An evaluation indicator; its values are aggregated yearly figures, never personal data."""

    name = models.CharField("nom", max_length=255, unique=True)
    definition = models.TextField("définition", blank=True)
    unit = models.CharField("unité", max_length=60, blank=True, help_text="Par exemple : ménages.")
    kind = models.CharField(
        "nature", max_length=16, choices=IndicatorKind.choices, default=IndicatorKind.QUANTITATIVE
    )
    source_partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="organisme source",
    )
    actions = models.ManyToManyField(
        ActionPage, blank=True, related_name="indicators", verbose_name="actions liées"
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("definition"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("unit"), FieldPanel("source_partner")]),
        FieldPanel("actions"),
    ]

    class Meta:
        db_table = "engagements_indicator"  # created by engagements (moved here, table kept)
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """The value of an indicator for one year (a count or a qualitative narrative)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name="indicateur"
    )
    year = models.PositiveSmallIntegerField(
        "année", validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2, null=True, blank=True)
    narrative = models.TextField("commentaire qualitatif", blank=True)
    source = models.CharField("source", max_length=255, blank=True)
    recorded_on = models.DateField("date de la donnée", null=True, blank=True)

    class Meta:
        db_table = "engagements_indicatorvalue"  # created by engagements (moved here, table kept)
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateurs"
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="unique_indicator_value_per_year",
                violation_error_message=(
                    "Une valeur existe déjà pour cet indicateur et cette année."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} ({self.year})"

    def clean(self):
        super().clean()
        if self.indicator_id is None:
            return
        if self.indicator.kind == IndicatorKind.QUANTITATIVE and self.value is None:
            raise ValidationError(
                {"value": "Un indicateur quantitatif demande une valeur chiffrée."}
            )
        if self.indicator.kind == IndicatorKind.QUALITATIVE and not self.narrative.strip():
            raise ValidationError({"narrative": "Un indicateur qualitatif demande un commentaire."})


class IndicatorTarget(models.Model):
    """The value an indicator should reach for a given year (quantitative objective)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name="indicateur"
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    value = models.DecimalField("cible", max_digits=14, decimal_places=2)
    comment = models.TextField("commentaire", blank=True, help_text=MARKDOWN_HELP)

    panels = [
        FieldPanel("indicator"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("value")]),
        FieldPanel("comment"),
    ]

    class Meta:
        verbose_name = "cible d'indicateur"
        verbose_name_plural = "cibles d'indicateurs"
        ordering = ["indicator__name", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="unique_indicator_target_per_year",
                violation_error_message="Une cible existe déjà pour cet indicateur et cette année.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — cible {self.year}"


class ReviewCampaign(models.Model):
    """The yearly review of a charter: partners update their commitments before a deadline."""

    charter = models.ForeignKey(
        CharterPage,
        on_delete=models.PROTECT,
        related_name="review_campaigns",
        verbose_name="charte",
    )
    year = models.PositiveSmallIntegerField("année évaluée", validators=YEAR_VALIDATORS)
    deadline = models.DateField("date limite de mise à jour")
    status = models.CharField(
        "état", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.OPEN
    )
    opened_at = models.DateTimeField("ouverte le")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ouverte par",
    )
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="clôturée par",
    )
    snapshot = models.JSONField(
        "état figé des engagements",
        default=dict,
        blank=True,
        help_text="Rempli à la clôture : l'état de chaque engagement à cette date.",
    )

    class Meta:
        verbose_name = "campagne de bilan annuel"
        verbose_name_plural = "campagnes de bilan annuel"
        ordering = ["-year"]
        permissions = [
            ("view_dashboards", "Peut consulter les tableaux de bord du suivi"),
            ("manage_review", "Peut conduire la campagne de bilan annuel et le comité"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["charter", "year"],
                name="unique_review_campaign_per_year",
                violation_error_message=(
                    "Une campagne existe déjà pour cette charte et cette année."
                ),
            ),
            models.UniqueConstraint(
                fields=["charter"],
                condition=models.Q(status=CampaignStatus.OPEN),
                name="one_open_review_campaign_per_charter",
                violation_error_message="Une campagne est déjà ouverte pour cette charte.",
            ),
        ]

    def __str__(self) -> str:
        return f"Bilan {self.year} — {self.charter.title}"

    @property
    def is_open(self) -> bool:
        return self.status == CampaignStatus.OPEN


class ReminderLog(models.Model):
    """One reminder e-mail sent to a partner's members; at most one per partner and day."""

    campaign = models.ForeignKey(
        ReviewCampaign, on_delete=models.CASCADE, related_name="reminders", verbose_name="campagne"
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="+", verbose_name="partenaire"
    )
    kind = models.CharField("motif", max_length=16, choices=ReminderKind.choices)
    sent_on = models.DateField("envoyée le")
    recipients = models.TextField("destinataires")
    pending_count = models.PositiveIntegerField("engagements à mettre à jour")

    class Meta:
        verbose_name = "relance"
        verbose_name_plural = "relances"
        ordering = ["-sent_on", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "partner", "sent_on"], name="one_reminder_per_partner_and_day"
            )
        ]

    def __str__(self) -> str:
        return f"Relance {self.partner} ({self.sent_on:%d/%m/%Y})"


class MeetingRecord(models.Model):
    """The record of a steering-committee meeting: charter, attendees, agenda and minutes.

    Extends `CommitteeMeeting` (date, title) one-to-one.
    """

    meeting = models.OneToOneField(
        CommitteeMeeting,
        on_delete=models.CASCADE,
        related_name="record",
        verbose_name="réunion",
    )
    charter = models.ForeignKey(
        CharterPage,
        on_delete=models.PROTECT,
        related_name="meeting_records",
        verbose_name="charte",
    )
    campaign = models.ForeignKey(
        ReviewCampaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_records",
        verbose_name="campagne de bilan",
    )
    place = models.CharField("lieu", max_length=255, blank=True)
    attendees = models.ManyToManyField(
        Partner, blank=True, related_name="+", verbose_name="partenaires présents"
    )
    agenda = models.TextField(
        "ordre du jour",
        blank=True,
        help_text=MARKDOWN_HELP + " Peut être généré à partir des engagements à examiner.",
    )
    minutes = models.TextField("compte rendu", blank=True, help_text=MARKDOWN_HELP)

    panels = [
        FieldRowPanel([FieldPanel("meeting"), FieldPanel("place")]),
        FieldRowPanel([FieldPanel("charter"), FieldPanel("campaign")]),
        FieldPanel("attendees"),
        FieldPanel("agenda"),
        FieldPanel("minutes"),
    ]

    class Meta:
        verbose_name = "compte rendu du comité de suivi"
        verbose_name_plural = "comptes rendus du comité de suivi"
        ordering = ["-meeting__date"]

    def __str__(self) -> str:
        return str(self.meeting)

    def clean(self):
        super().clean()
        if self.campaign_id and self.charter_id and self.campaign.charter_id != self.charter_id:
            raise ValidationError(
                {"campaign": "La campagne doit porter sur la même charte que la réunion."}
            )


class Decision(models.Model):
    """A decision taken by the committee, linked to the commitments or actions it concerns."""

    meeting = models.ForeignKey(
        CommitteeMeeting, on_delete=models.CASCADE, related_name="decisions", verbose_name="réunion"
    )
    text = models.TextField("décision", help_text=MARKDOWN_HELP)
    commitments = models.ManyToManyField(
        Commitment, blank=True, related_name="+", verbose_name="engagements concernés"
    )
    actions = models.ManyToManyField(
        ActionPage, blank=True, related_name="+", verbose_name="actions concernées"
    )

    panels = [
        FieldPanel("meeting"),
        FieldPanel("text"),
        FieldPanel("actions"),
        FieldPanel("commitments"),
    ]

    class Meta:
        verbose_name = "décision du comité"
        verbose_name_plural = "décisions du comité"
        ordering = ["meeting__date", "pk"]

    def __str__(self) -> str:
        first_line = self.text.strip().splitlines()[0] if self.text.strip() else ""
        return first_line if len(first_line) <= 80 else first_line[:79] + "…"
