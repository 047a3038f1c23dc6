"""Help for households: one page per procedure stage and a directory of contacts.

`HelpIndexPage` (« Locataire en difficulté ? ») lists the stages of the eviction procedure, each a
`HelpStagePage` with what happens, what to do and « Qui peut aider ? »: the `Contact`s of the
directory (a snippet edited by the secretariat) that help at that stage.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import cached_property
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from core.text import MARKDOWN_HELP

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 .]{1,24}$",
    "Saisissez un numéro composé de chiffres (espaces et points permis), par exemple "
    "« 01 23 45 67 89 », « 115 » ou « +33 1 23 45 67 89 ».",
)


class HelpIndexPage(Page):
    """« Locataire en difficulté ? »: the stages of the procedure and where to find help."""

    introduction = models.TextField("introduction", blank=True, help_text=MARKDOWN_HELP)
    general_contacts = models.TextField(
        "contacts utiles à toutes les étapes",
        blank=True,
        help_text="Présentation des services qui aident à toutes les étapes (les coordonnées "
        "viennent de l'annuaire des contacts). " + MARKDOWN_HELP,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("general_contacts"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("general_contacts"),
    ]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["assistance.HelpStagePage", "pages.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = "aide aux ménages"
        verbose_name_plural = "aide aux ménages"

    @cached_property
    def owner_pages(self) -> list[Page]:
        """The published pages for owners below this one (« Propriétaire »)."""
        from .selectors import help_owner_pages

        return help_owner_pages(index=self)

    def get_context(self, request, *args, **kwargs):
        from .selectors import help_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(help_page_context(page=self))
        return context


class HelpStagePage(Page):
    """A stage of the eviction procedure: what happens, what to do, who helps."""

    description = models.TextField("ce qui se passe", help_text=MARKDOWN_HELP)
    what_to_do = models.TextField("que faire", help_text=MARKDOWN_HELP)
    who_helps = models.TextField(
        "qui peut aider (texte)",
        blank=True,
        help_text="Les services qui aident à cette étape, en quelques mots ; leurs coordonnées "
        "s'affichent en dessous, depuis l'annuaire des contacts. " + MARKDOWN_HELP,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("what_to_do"),
        FieldPanel("who_helps"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("what_to_do"),
        index.SearchField("who_helps"),
    ]
    parent_page_types = ["assistance.HelpIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "étape de la procédure"
        verbose_name_plural = "étapes de la procédure"

    def get_context(self, request, *args, **kwargs):
        from .selectors import help_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(help_page_context(page=self))
        return context


class Contact(index.Indexed, models.Model):
    """A service that helps households: how to reach it, and at which stages it helps."""

    name = models.CharField("nom", max_length=160)
    what_they_do = models.TextField("ce qu'il fait", help_text=MARKDOWN_HELP)
    phone = models.CharField("téléphone", max_length=32, blank=True, validators=[phone_validator])
    phone_note = models.CharField(
        "précision sur l'appel",
        max_length=120,
        blank=True,
        help_text="Par exemple : « appel gratuit » ou « service gratuit + prix d'un appel ».",
    )
    address = models.TextField("adresse", blank=True)
    website = models.URLField("site internet", blank=True)
    hours = models.TextField("horaires", blank=True)
    territory = models.CharField(
        "territoire",
        max_length=120,
        help_text="Où il intervient : « France entière », « Paris », « 18e arrondissement »…",
    )
    stages = models.ManyToManyField(
        HelpStagePage,
        blank=True,
        related_name="contacts",
        verbose_name="étapes où il aide",
    )
    source_url = models.URLField(
        "source des coordonnées",
        blank=True,
        help_text="La page publique d'où viennent ces coordonnées, pour les vérifier.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("what_they_do"),
        MultiFieldPanel(
            [
                FieldPanel("phone"),
                FieldPanel("phone_note"),
                FieldPanel("address"),
                FieldPanel("website"),
                FieldPanel("hours"),
            ],
            heading="Coordonnées",
        ),
        FieldPanel("territory"),
        FieldPanel("stages", widget=forms.CheckboxSelectMultiple),
        FieldPanel("source_url"),
    ]
    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("what_they_do"),
        index.SearchField("phone"),
        index.SearchField("territory"),
        index.AutocompleteField("name"),
        index.FilterField("id"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "contact"
        verbose_name_plural = "annuaire des contacts"

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if not (self.phone or self.address.strip() or self.website):
            raise ValidationError(
                "Indiquez au moins un moyen de joindre ce service : un téléphone, une adresse "
                "ou un site internet."
            )

    @property
    def stage_count(self) -> int:
        """How many stages this contact helps at (the admin listing's column)."""
        return len(self.stages.all())

    @property
    def phone_href(self) -> str:
        """The phone as a `tel:` URI (digits only, a leading + kept)."""
        digits = "".join(char for char in self.phone if char.isdigit())
        return f"tel:{'+' if self.phone.strip().startswith('+') else ''}{digits}"
