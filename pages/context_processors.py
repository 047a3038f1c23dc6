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


def _navigation(request, sections: list[tuple[str, str]]) -> list[dict]:
    """The main menu: (label, url, current) for each public section of the site."""
    path = request.path if request is not None else ""
    navigation = []
    for label, url in sections:
        current = path == url if url == "/" else path.startswith(url)
        navigation.append({"label": label, "url": url, "current": current, "exact": path == url})
    # Only the most specific match is the current section.
    matches = [item for item in navigation if item["current"]]
    for item in matches[:-1]:
        item["current"] = False
    return navigation


def site(request) -> dict:
    """The theme (settings.SITE_THEME) and the lazily built main navigation."""
    from .selectors import site_frame_links

    theme = settings.SITE_THEME
    # The menu's sections and the menu's and footer's help entries: read once per content change.
    links = SimpleLazyObject(site_frame_links)
    navigation = SimpleLazyObject(lambda: _navigation(request, links.sections))
    return {
        "public_site_name": settings.WAGTAIL_SITE_NAME,
        "public_theme": theme,
        "public_base_template": THEME_BASE_TEMPLATES[theme],
        "public_navigation": navigation,
        # Which item is current: what the stored header varies by (templatetags/site_tags.py).
        "public_navigation_state": SimpleLazyObject(
            lambda: tuple((item["current"], item["exact"]) for item in navigation)
        ),
        "public_help_links": SimpleLazyObject(lambda: links.help_links),
        "public_search_url": _url("pages:search"),
        "rgaa_audit": SimpleLazyObject(_rgaa_audit),
    }


def _rgaa_audit():
    from .accessibility import rgaa_audit

    return rgaa_audit()
