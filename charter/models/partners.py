"""Partners (organisations of the charter) and the users who work for them."""

from typing import NamedTuple

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index

from ..choices import (
    PartnerKind,
)


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


# Who signs, declares and has staff: every partner but « Ensemble des signataires »
# (`PartnerKind.COLLECTIVE`, the porteur of the commitments all signatories make together).
ORGANISATIONS = ~models.Q(kind=PartnerKind.COLLECTIVE)
ORGANISATION_ONLY = {
    "invalid": "Choisissez un organisme : « Ensemble des signataires » désigne tous les "
    "signataires ensemble ; il ne signe pas, ne fait pas de déclaration et n'a pas de membres."
}


def organisation_field(*, related_name: str, on_delete=models.PROTECT) -> models.ForeignKey:
    """A « partenaire » foreign key that refuses « Ensemble des signataires » (French message)."""
    return models.ForeignKey(
        Partner,
        on_delete=on_delete,
        related_name=related_name,
        verbose_name="partenaire",
        limit_choices_to=ORGANISATIONS,
        error_messages=ORGANISATION_ONLY,
    )


class PartnerMembership(models.Model):
    """Links a user account to the one partner organisation it works for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_membership",
        verbose_name="utilisateur",
    )
    partner = organisation_field(related_name="memberships", on_delete=models.CASCADE)

    class Meta:
        verbose_name = "membre d'un partenaire"
        verbose_name_plural = "membres des partenaires"

    def __str__(self) -> str:
        return f"{self.user} ({self.partner})"


class PartnerRow(NamedTuple):
    """What a page shows of a commitment's partner: values, not a model instance."""

    pk: int
    name: str
    short_name: str
    slug: str


def commitment_groups(pairs) -> list[tuple[PartnerRow, list]]:
    """(commitment, partner) pairs grouped by partner, in the order given."""
    grouped: dict[int, tuple[PartnerRow, list]] = {}
    for commitment, partner in pairs:
        group = grouped.get(partner.pk)
        if group is None:
            group = grouped[partner.pk] = (partner, [])
        group[1].append(commitment)
    return list(grouped.values())
