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


# A charter's public sections that are views, listed under the charter in the site map.
CHARTER_SECTION_URLS = (
    ("Engagements des partenaires", "engagements_public:matrix"),
    ("Versions de la charte", "publishing:version_list"),
)


def sitemap_tree(*, site_root: Page) -> list[dict]:
    """Every public page below the site root as a nested list, in tree order (one query)."""
    from django.contrib.contenttypes.models import ContentType

    from charter.models import CharterPage, public_page_q  # « publié »: one definition

    pages = site_root.get_descendants().filter(public_page_q()).order_by("path")
    charter_type = ContentType.objects.get_for_model(CharterPage)
    nodes: dict[str, dict] = {}
    tree: list[dict] = []
    for page in pages:
        node = {"title": page.title, "url": page.url, "children": []}
        if page.content_type_id == charter_type.pk:
            # A charter's pages that are views: its commitments matrix and its versions.
            node["children"] += [
                {
                    "title": title,
                    "url": reverse(name, kwargs={"charter_slug": page.slug}),
                    "children": [],
                }
                for title, name in CHARTER_SECTION_URLS
            ]
        parent = nodes.get(page.path[: -Page.steplen])
        (parent["children"] if parent else tree).append(node)
        nodes[page.path] = node
    for title, name in SECTION_URLS:
        try:
            tree.append({"title": title, "url": reverse(name), "children": []})
        except NoReverseMatch:
            continue
    return tree
