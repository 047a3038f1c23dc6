"""Template tags of the engagements app."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def status_badges(commitment) -> str:
    """`{% status_badges commitment %}`: the status badge, and « en retard » when it is.

    The one way a commitment's status is drawn on public pages (a tag, not an include: the
    matrix draws hundreds of them).
    """
    html = format_html(
        '<span class="badge badge--{}"><span class="visually-hidden">Statut : </span>{}</span>',
        commitment.status,
        commitment.get_status_display(),
    )
    if commitment.is_overdue:
        html += format_html(' <span class="badge badge--overdue">{}</span>', "en retard")
    return html
