from django import template
from django.utils.safestring import mark_safe

from core.text import markdown_to_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str) -> str:
    """Render Markdown as sanitised HTML."""
    return mark_safe(markdown_to_html(value or ""))  # noqa: S308 - sanitised by nh3
