"""Template tags of the public site's frame."""

from django import template
from wagtail.models import Page

register = template.Library()


@register.simple_tag(takes_context=True)
def breadcrumb_items(context) -> list[dict]:
    """The breadcrumb: the view's `breadcrumbs` list, else the page's ancestors below the root."""
    crumbs = context.get("breadcrumbs")
    if crumbs is not None:
        return [{"title": "Accueil", "url": "/"}, *crumbs]
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return []  # the home page, or no page
    ancestors = page.get_ancestors().filter(depth__gt=1)
    items = [{"title": "Accueil" if a.depth == 2 else a.title, "url": a.url} for a in ancestors]
    return [*items, {"title": page.title, "url": ""}]
