"""Home page and standard editorial pages (accessibility statement, legal notices…)."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Page
from wagtail.search import index

from core.text import MARKDOWN_HELP


class AccessibilityStatus(models.TextChoices):
    """The compliance levels of the RGAA accessibility statement."""

    NON_COMPLIANT = "non", "non conforme"
    PARTIAL = "partial", "partiellement conforme"
    FULL = "full", "totalement conforme"


@register_setting(icon="site")
class SiteSettings(BaseGenericSetting):
    """Who publishes the site, shown in its header and footer."""

    publisher_name = models.CharField(
        "éditeur du site",
        max_length=160,
        default="Préfecture et Département",
        help_text="Par exemple : « Préfecture de la région d'Île-de-France, préfecture de Paris ».",
    )
    service_tagline = models.CharField(
        "description du service",
        max_length=200,
        default="Prévenir les expulsions locatives, le plus tôt possible",
    )
    footer_text = models.TextField(
        "texte du pied de page",
        blank=True,
        default=(
            "La charte départementale de prévention de l'expulsion locative engage l'État, "
            "le Département et leurs partenaires (loi du 31 mai 1990, article 7-1)."
        ),
    )
    # No longer shown nor edited: the status is generated from the RGAA grid
    # (pages/accessibility.py). Kept until a pages migration drops it.
    accessibility_status = models.CharField(
        "état de conformité au RGAA",
        max_length=16,
        choices=AccessibilityStatus.choices,
        default=AccessibilityStatus.NON_COMPLIANT,
        help_text="« Non conforme » tant qu'aucun audit n'a été réalisé.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("publisher_name"),
                FieldPanel("service_tagline"),
                FieldPanel("footer_text"),
            ],
            heading="Éditeur",
        ),
    ]

    class Meta:
        verbose_name = "paramètres du site public"


class HomePage(Page):
    """The site's home: what the charter is, and links to everything else."""

    introduction = models.TextField("introduction", blank=True, help_text=MARKDOWN_HELP)
    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "charter.CharterPage",
        "assistance.HelpIndexPage",
        "pages.StandardPage",
        "pages.SitemapPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = "page d'accueil"

    def get_context(self, request, *args, **kwargs):
        from publishing.downloads import with_pdf_offer

        from .selectors import home_content

        context = super().get_context(request, *args, **kwargs)
        content = home_content(home=self)
        context["home"] = content  # its scopes and key: the stored fragment of the template
        context["charter"] = content.charter
        context["signatories"] = content.signatories
        context["other_charters"] = content.other_charters
        context["lexicon"] = content.lexicon
        # The PDF's part is read on each render: its size shows once it has been produced.
        context["downloads"] = with_pdf_offer(content.downloads) if content.charter else {}
        return context


class StandardPage(Page):
    """A plain editorial page."""

    body = models.TextField("contenu", blank=True, help_text=MARKDOWN_HELP)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["pages.HomePage", "pages.StandardPage", "assistance.HelpIndexPage"]

    class Meta:
        verbose_name = "page standard"
        verbose_name_plural = "pages standard"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from .accessibility import STATEMENT_SLUG, rgaa_audit, split_statement

        if self.slug == STATEMENT_SLUG:
            # The accessibility statement: its compliance sections come from the RGAA grid.
            context["statement_audit"] = rgaa_audit()
            context["body_before"], context["body_after"] = split_statement(self.body)
        return context


class SitemapPage(Page):
    """The site map (« Plan du site »): an editable introduction, then every public page."""

    introduction = models.TextField("introduction", blank=True, help_text=MARKDOWN_HELP)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = "plan du site"

    def get_context(self, request, *args, **kwargs):
        from .selectors import sitemap_tree

        context = super().get_context(request, *args, **kwargs)
        context["tree"] = sitemap_tree(site_root=self.get_parent())
        return context
