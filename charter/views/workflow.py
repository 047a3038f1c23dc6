"""The dashboard's charter workflow panel: each charter's current step and what it still needs."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowState

from ..models import CharterLifecycleTask, CharterPage


def charter_workflow_rows(*, user) -> list[dict]:
    """The charters in a workflow this user edits or moderates, with their step's legal check."""
    states = (
        WorkflowState.objects.active()
        .filter(content_type=ContentType.objects.get_for_model(CharterPage))
        .select_related("workflow", "current_task_state__task")
        .order_by("-current_task_state__started_at")
    )
    rows = []
    for state in states:
        charter = CharterPage.objects.filter(pk=state.object_id).first()
        task = state.current_task_state.task.specific if state.current_task_state else None
        if charter is None or not isinstance(task, CharterLifecycleTask):
            continue
        # Edits the charter now: page rights, and the step does not lock it for this user.
        can_edit = charter.permissions_for_user(user).can_edit() and not task.locked_for_user(
            charter, user
        )
        approves = task.user_can_access_editor(charter, user)
        if not (can_edit or approves):
            continue
        rows.append(
            {
                "charter": charter,
                "task": task,
                "groups": ", ".join(task.groups.order_by("name").values_list("name", flat=True)),
                "check": task.step_check(charter),
                "can_edit": can_edit,
                "approves": approves,
                "started_at": state.current_task_state.started_at,
            }
        )
    return rows


class CharterWorkflowPanel(Component):
    """Shown above Wagtail's workflow panels: why each charter step can or cannot be approved."""

    name = "charter_workflow"
    template_name = "charter/panels/dashboard_workflow.html"
    order = 205

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["rows"] = charter_workflow_rows(user=parent_context["request"].user)
        return context


def submission_warning(request, page) -> None:
    """After « Soumettre » : say what the legal check still misses (submission goes through)."""
    # The editor's page object may carry the workflow states prefetched before the submission.
    charter = CharterPage.objects.filter(pk=page.pk).first()
    if charter is None:
        return
    task = charter.current_workflow_task
    task = task.specific if task is not None else None
    if not isinstance(task, CharterLifecycleTask):
        return
    check = task.step_check(charter)
    parts = []
    if check.blockers:
        parts.append(
            f"L'étape « {check.step} » ne peut pas encore être approuvée : "
            + " ".join(check.blockers)
        )
    for step, missing in check.upcoming:
        count = len(missing)
        parts.append(
            f"Avant l'étape « {step} », {count} élément{'s' if count > 1 else ''} "
            f"exigé{'s' if count > 1 else ''} par le décret n° 2016-393 "
            f"{'restent' if count > 1 else 'reste'} à compléter : " + " ; ".join(missing) + "."
        )
    if parts:
        parts.append("Le secrétariat de la CCAPEX peut compléter la charte pendant le workflow.")
        messages.warning(request, " ".join(parts))
