"""What every public template needs: the theme's base template and the main navigation."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

# The public site's themes: the base template each one extends.
THEME_BASE_TEMPLATES = {
    "dsfr": "themes/dsfr/base.html",
    "neutral": "themes/neutral/base.html",
}


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def _navigation(request, help_links) -> list[dict]:
    """The main menu: (label, url, current) for each public section of the site."""
    from charter.selectors import current_charter

    charter = current_charter()
    items = [("Accueil", "/"), *((link["label"], link["url"]) for link in help_links)]
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
    path = request.path if request is not None else ""
    navigation = []
    for label, url in items:
        if not url:
            continue
        current = path == url if url == "/" else path.startswith(url)
        navigation.append({"label": label, "url": url, "current": current, "exact": path == url})
    # Only the most specific match is the current section.
    matches = [item for item in navigation if item["current"]]
    for item in matches[:-1]:
        item["current"] = False
    return navigation


def _help_links() -> list[dict]:
    from assistance.selectors import help_links

    return help_links()


def site(request) -> dict:
    """The theme (settings.SITE_THEME) and the lazily built main navigation."""
    theme = settings.SITE_THEME
    help_links = SimpleLazyObject(_help_links)  # the menu's and the footer's help entries
    return {
        "public_site_name": settings.WAGTAIL_SITE_NAME,
        "public_theme": theme,
        "public_base_template": THEME_BASE_TEMPLATES[theme],
        "public_navigation": SimpleLazyObject(lambda: _navigation(request, help_links)),
        "public_help_links": help_links,
        "public_search_url": _url("pages:search"),
        "rgaa_audit": SimpleLazyObject(_rgaa_audit),
    }


def _rgaa_audit():
    from .accessibility import rgaa_audit

    return rgaa_audit()
