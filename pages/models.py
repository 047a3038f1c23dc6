"""Home page and standard editorial pages (accessibility statement, legal notices…)."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

MARKDOWN_HELP = "Texte au format Markdown."


class HomePage(Page):
    """The site's home: what the charter is, and links to everything else."""

    introduction = models.TextField("introduction", blank=True, help_text=MARKDOWN_HELP)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["charter.CharterPage", "pages.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = "page d'accueil"

    def get_context(self, request, *args, **kwargs):
        from charter.models import CharterPage

        context = super().get_context(request, *args, **kwargs)
        context["charters"] = (
            CharterPage.objects.child_of(self).live().order_by("-first_published_at")
        )
        context["pages"] = StandardPage.objects.child_of(self).live().in_menu()
        return context


class StandardPage(Page):
    """A plain editorial page."""

    body = models.TextField("contenu", blank=True, help_text=MARKDOWN_HELP)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["pages.HomePage", "pages.StandardPage"]

    class Meta:
        verbose_name = "page standard"
        verbose_name_plural = "pages standard"
