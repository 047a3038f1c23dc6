"""Template filters of the monitoring pages: indicator figures, French dates."""

from django import template
from django.conf import settings

from core.text import french_date

from ..charts import format_number
from ..selectors import public_count as public_count_value

register = template.Library()


@register.filter
def public_count(value):
    """The figure, or « moins de N » when it is below INDICATOR_PUBLIC_MIN_COUNT (secrecy)."""
    if value is None or value == "":
        return "—"
    if public_count_value(value) is None:
        return f"moins de {settings.INDICATOR_PUBLIC_MIN_COUNT}"
    return format_number(value)


@register.filter
def date_fr(value):
    """« 1er décembre 2026 » (Django's « j F Y » writes « 1 décembre 2026 »)."""
    return french_date(value)
