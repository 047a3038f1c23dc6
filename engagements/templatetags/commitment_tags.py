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


@register.inclusion_tag("wagtailadmin/shared/buttons.html", takes_context=True)
def commitment_bulk_action_choices(context, app_label, model_name):
    """Wagtail's bulk action buttons, without those the user may not use (no dead end)."""
    from django.urls import reverse
    from wagtail.admin.templatetags.wagtailadmin_tags import bulk_action_choices
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    user = context["request"].user
    refused = {
        reverse("wagtail_bulk_action", args=[app_label, model_name, action.action_type])
        for action in bulk_action_registry.get_bulk_actions_for_model(app_label, model_name)
        if hasattr(action, "is_shown_to") and not action.is_shown_to(user)
    }
    result = bulk_action_choices(context, app_label, model_name)
    result["buttons"] = [button for button in result["buttons"] if button.url not in refused]
    return result


@register.simple_tag
def shared_with(commitment, partner=None) -> str:
    """`{% shared_with commitment partner %}`: « avec X et Y » (its owners but `partner`)."""
    return commitment.shared_with(partner_id=getattr(partner, "pk", None))
