"""Named reads of the public site's pages."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.models import Page

from core.cache_scopes import SITE, charter_scope

from .memo import GenerationMemo

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


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class FrameLinks:
    """The main menu's sections (label, url) and the help entries of the menu and footer."""

    sections: tuple[tuple[str, str], ...]
    help_links: tuple[dict, ...]


_FRAME = GenerationMemo("frame links")
_CHARTER_IN_FORCE = GenerationMemo("charter in force")


def charter_in_force():
    """`charter.selectors.current_charter`, read again when a page is published, moved or
    deleted (the « site » generation)."""
    from charter.selectors import current_charter

    return _CHARTER_IN_FORCE.get(None, (SITE,), current_charter)


def _read_frame_links() -> FrameLinks:
    from assistance.selectors import help_links

    links = tuple(help_links())
    charter = charter_in_force()
    items = [("Accueil", "/"), *((link["label"], link["url"]) for link in links)]
    if charter is not None:
        items.append(("La charte", charter.url))
        items.append(("Engagements", _url("engagements_public:matrix", charter_slug=charter.slug)))
        items.append(
            ("Où en est la charte ?", _url("monitoring_public:progress", charter_slug=charter.slug))
        )
    items += [
        ("Partenaires", _url("engagements_public:partner_list")),
        ("Lexique", _url("glossary:lexicon")),
        ("Données ouvertes", _url("opendata_index")),
    ]
    return FrameLinks(sections=tuple(item for item in items if item[1]), help_links=links)


def site_frame_links() -> FrameLinks:
    """The menu's sections and help entries, read again only when a page is published, moved
    or deleted (the « site » generation: the charter in force and the help pages are pages)."""
    return _FRAME.get(None, (SITE,), _read_frame_links)


@dataclass(frozen=True)
class HomeContent:
    """What the home page shows besides its own fields (`HomePage.get_context`)."""

    charter: object  # the charter in force (CharterPage) or None
    signatories: tuple
    other_charters: tuple
    lexicon: object  # glossary.linking.Lexicon or None
    downloads: dict  # publishing.downloads.version_downloads of the charter, or {}
    scopes: tuple[str, ...]  # the generations it depends on
    key: tuple  # what else it depends on: the home page and the day


_HOME = GenerationMemo("home page")


def _read_home_content(*, home: Page, charter, scopes: tuple[str, ...]) -> HomeContent:
    from charter.models import CharterPage
    from glossary.selectors import lexicon_for_charter
    from publishing.downloads import version_downloads

    other_charters = (
        CharterPage.objects.child_of(home)
        .public()
        .exclude(pk=charter.pk if charter else None)
        .order_by("-first_published_at")
    )
    downloads = version_downloads(charter=charter) if charter else {}
    if downloads.get("version") is not None:
        # Kept in memory without its snapshot (the whole charter as JSON), which the links do
        # not read: version_downloads defers it, and reads it only to make the DOCX; dropped
        # then too (a field missing from the instance is a deferred one, loaded if ever read).
        downloads["version"].__dict__.pop("snapshot", None)
    return HomeContent(
        scopes=scopes,
        key=(home.pk, timezone.localdate()),
        charter=charter,
        signatories=tuple(charter.signatories.select_related("partner")) if charter else (),
        other_charters=tuple(other_charters),
        lexicon=lexicon_for_charter(charter=charter) if charter else None,
        downloads=downloads,
    )


def home_content(*, home: Page) -> HomeContent:
    """The home page's charter in force, signatories, other charters, lexicon and downloads.

    Read again when the « site » generation moves (a page published, partners, lexicon,
    versions, logos) or the charter's (its signatories), or on a new day (the version in force
    depends on the date). The charter in force and this content are stamped with the same
    generations (read once per request, pages.cache.request_generations).
    """
    charter = charter_in_force()
    scopes = (SITE, charter_scope(charter.path)) if charter else (SITE,)
    return _HOME.get(
        (home.pk, getattr(charter, "pk", None), timezone.localdate()),
        scopes,
        lambda: _read_home_content(home=home, charter=charter, scopes=scopes),
        # Outside a request each memo reads the generations itself: a page published between
        # the two reads leaves this content unkept.
        storable=lambda content: charter_in_force() is charter,
    )
