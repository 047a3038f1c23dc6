"""Template tags of the public site's frame."""

from django import template
from django.conf import settings
from wagtail.models import Page

from core.cache_scopes import SITE
from pages.memo import GenerationMemo

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


# Rendered parts of the public pages' frame and of the home page, per process (pages/memo.py).
_FRAGMENTS = GenerationMemo("stored fragments", max_keys=256)


def _frozen(value):
    """A hashable form of a vary value (the menu: a list of dicts)."""
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item) for item in value)
    return value


class StoredFragmentNode(template.Node):
    def __init__(self, name, vary, scopes, unless, nodelist):
        self.name, self.vary, self.scopes, self.unless = name, vary, scopes, unless
        self.nodelist = nodelist

    def render(self, context):
        if self.unless is not None and self.unless.resolve(context):
            return self.nodelist.render(context)
        scopes = tuple(self.scopes.resolve(context)) if self.scopes is not None else (SITE,)
        key = (
            self.name.resolve(context),
            settings.SITE_THEME,
            scopes,
            *(_frozen(expression.resolve(context)) for expression in self.vary),
        )
        return _FRAGMENTS.get(key, scopes, lambda: self.nodelist.render(context))


@register.tag
def stored_fragment(parser, token):
    """Render once per content change: ``{% stored_fragment "name" vary… [scopes=…]
    [unless=…] %}…{% endstored_fragment %}``.

    The HTML is kept per process (pages/memo.py) while the generations of `scopes` (« site » by
    default) stay the same, one copy per value of the `vary` expressions; rendered each time when
    `unless` is true. What the fragment shows must depend only on those scopes and vary values,
    and be read after the generations (values of pages/selectors.py or template tags): not the
    served page's own fields, read by Wagtail's routing before them, nor anything proper to one
    request (a CSRF token, a CSP nonce).
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("stored_fragment : un nom est attendu.")
    options = {"scopes": None, "unless": None}
    vary = []
    for bit in bits[2:]:
        name, equals, expression = bit.partition("=")
        if equals and name in options:
            options[name] = parser.compile_filter(expression)
        else:
            vary.append(parser.compile_filter(bit))
    nodelist = parser.parse(("endstored_fragment",))
    parser.delete_first_token()
    return StoredFragmentNode(
        parser.compile_filter(bits[1]), vary, options["scopes"], options["unless"], nodelist
    )
