"""Named reads of the public site's pages."""

from django.urls import NoReverseMatch, reverse
from wagtail.models import Page

# Public sections that are views rather than pages, listed in the site map.
SECTION_URLS = (
    ("Où en est la charte ?", "monitoring_public:progress_current"),
    ("Partenaires signataires", "engagements_public:partner_list"),
    ("Lexique et sigles", "glossary:lexicon"),
    ("Recherche", "pages:search"),
    ("Données ouvertes", "opendata_index"),
)


def sitemap_tree(*, site_root: Page) -> list[dict]:
    """Every public page below the site root as a nested list, in tree order (one query)."""
    from charter.models import public_page_q  # the one definition of « publié » for pages

    pages = site_root.get_descendants().filter(public_page_q()).order_by("path")
    nodes: dict[str, dict] = {}
    tree: list[dict] = []
    for page in pages:
        node = {"title": page.title, "url": page.url, "children": []}
        parent = nodes.get(page.path[: -Page.steplen])
        (parent["children"] if parent else tree).append(node)
        nodes[page.path] = node
    for title, name in SECTION_URLS:
        try:
            tree.append({"title": title, "url": reverse(name), "children": []})
        except NoReverseMatch:
            continue
    return tree
