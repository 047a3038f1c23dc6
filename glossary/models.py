"""The lexicon of acronyms and terms of a charter ("Lexique et sigles")."""

from django.db import models
from django.db.models.functions import Lower
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class LexiconEntry(index.Indexed, models.Model):
    """An acronym or term with its expansion; unique per charter whatever its case."""

    # A string reference: glossary never imports the charter app.
    charter = models.ForeignKey(
        "charter.CharterPage",
        on_delete=models.CASCADE,
        related_name="lexicon_entries",
        verbose_name="charte",
    )
    term = models.CharField(
        "sigle ou terme",
        max_length=120,
        help_text="Respectez la casse d'usage : « CAF », « Exploc ».",
    )
    definition = models.TextField("définition")

    panels = [FieldPanel("charter"), FieldPanel("term"), FieldPanel("definition")]
    search_fields = [
        index.SearchField("term", boost=3),
        index.AutocompleteField("term"),
        index.SearchField("definition"),
        index.FilterField("charter"),
    ]

    class Meta:
        verbose_name = "entrée du lexique"
        verbose_name_plural = "lexique"
        ordering = [Lower("term")]
        constraints = [
            models.UniqueConstraint(
                "charter",
                Lower("term"),
                name="unique_lexicon_term_per_charter",
                violation_error_message="Ce sigle figure déjà dans le lexique de cette charte.",
            )
        ]

    def __str__(self) -> str:
        return self.term

    @property
    def is_acronym(self) -> bool:
        """True for upper-case sigles (matched case-sensitively in texts)."""
        letters = [c for c in self.term if c.isalpha()]
        return bool(letters) and all(c.isupper() for c in letters)
