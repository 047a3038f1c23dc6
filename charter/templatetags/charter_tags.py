"""Template tags of the charter app."""

from django import template

from charter.models import CharterPage
from charter.selectors import PublicStatus, public_status

register = template.Library()


@register.simple_tag
def charter_public_status(charter: CharterPage) -> PublicStatus:
    """`{% charter_public_status charter as status %}`: the status the public sees."""
    return public_status(charter=charter)
