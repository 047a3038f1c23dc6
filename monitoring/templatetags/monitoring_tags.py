"""Template filters of the monitoring pages: indicator figures (`date_fr` is a builtin, core)."""

from django import template
from django.conf import settings

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
