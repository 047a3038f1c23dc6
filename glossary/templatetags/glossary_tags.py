"""Template tags of the lexicon: `{% load glossary_tags %}`."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from glossary.linking import Lexicon, link_terms

register = template.Library()


@register.filter(name="abbreviations")
def abbreviations(value, lexicon: Lexicon | None = None):
    """Link the first occurrence of each lexicon term in this text field (one field = one section).

    Usage: ``{{ value|markdown|abbreviations:lexicon }}`` with ``lexicon`` from
    ``glossary.selectors.lexicon_for_charter``. The input is safe HTML (a plain string is escaped
    first); the output is safe HTML. No lexicon, or an empty one: the input comes back unchanged.
    """
    if value is None or value == "":
        return value
    if not lexicon:
        return value
    html = conditional_escape(value)
    return mark_safe(link_terms(str(html), lexicon))  # noqa: S308 - text nodes escaped, tags kept
