"""French prose filters, available in every template (config.base TEMPLATES « builtins »).

`{{ day|date_fr }}` writes « 1er décembre 2026 » where Django's `date:"j F Y"` writes
« 1 décembre 2026 »; one rule, `core.text.french_date`, shared with the documents.
"""

from django import template

from core.text import french_date

register = template.Library()


@register.filter(expects_localtime=True)
def date_fr(value):
    """« 1er décembre 2026 », « 14 décembre 2017 »: a date (or a local date-time's day)."""
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    return french_date(value) if value else ""
