"""Template tags of the charter app."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from charter.models import CharterPage
from charter.selectors import (
    PublicStatus,
    export_checklist,
    legal_checklist,
    public_status,
    signature_states,
)
from glossary.linking import linked_markdown

register = template.Library()


@register.simple_tag
def charter_public_status(charter: CharterPage) -> PublicStatus:
    """`{% charter_public_status charter as status %}`: the status the public sees."""
    return public_status(charter=charter)


@register.simple_tag
def charter_step_check(task, obj):
    """`{% charter_step_check task obj as check %}`: why the step cannot be approved yet."""
    task = task.specific
    return task.step_check(obj) if hasattr(task, "step_check") else None


@register.inclusion_tag("charter/panels/legal_checklist.html")
def charter_checklist(charter: CharterPage) -> dict:
    """The editor's checklist panel: legal items, life-cycle step, workflow blockers, signatures."""
    checklist = legal_checklist(charter=charter)
    context = {
        "checklist": checklist,
        "missing": [item for item in checklist if not item.ok],
        "export_missing": [item for item in export_checklist(charter=charter) if not item.ok],
        "status": charter.get_lifecycle_status_display(),
    }
    if charter.pk:
        task = charter.current_workflow_task
        task = task.specific if task is not None else None
        if task is not None and hasattr(task, "step_check"):
            context["current_task"] = task
            context["check"] = task.step_check(charter)
        add_url = reverse("signatures:add")
        declared = {d.partner_id for d in charter.declarations.all()}
        context["signatures"] = [
            (
                signatory,
                record,
                reverse("signatures:edit", args=[record.pk])
                if record
                else f"{add_url}?charter={charter.pk}&partner={signatory.partner_id}",
                signatory.partner_id in declared,
            )
            for signatory, record in signature_states(charter=charter)
        ]
    return context


@register.simple_tag
def action_fiche(action, lexicon) -> str:
    """`{% action_fiche action lexicon %}`: an action's fiche on the whole-text charter page, the
    bytes its template code printed (`{{ text|markdown|abbreviations:lexicon }}` per field), in
    Python: the page draws the fiches of every action (issue 19)."""
    fiche = action.fiche
    if not fiche:
        return ""
    code = escape(str(action.code))
    parts = ['\n    <dl class="fiche">\n      ']
    for name, label, text in fiche:
        html = linked_markdown(text, lexicon)
        parts.append(
            f'\n      <dt id="action-{code}-{escape(name)}">{escape(str(label))}</dt>\n'
            f"      <dd>{html}</dd>\n      "
        )
    parts.append("\n    </dl>\n    ")
    return mark_safe("".join(parts))  # noqa: S308 - texts sanitised by nh3 and linked; escaped
