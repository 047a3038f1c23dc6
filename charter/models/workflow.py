"""The charter's workflow step: approving it moves the life cycle (charter.services).

The legal check (`charter.services.lifecycle_blockers`, the one rule) is explained at every
step: a step that cannot be approved yet offers « Approuver : voir ce qui manque » instead of
« Approuver », and that action only opens a modal listing the missing items. The secretariat,
who owns the charter's text, may edit it at any step without cancelling the workflow.
"""

import contextlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.models import (
    AbstractGroupApprovalTask,
)

from ..choices import (
    CharterStatus,
)
from ..roles import SECRETARIAT, has_role
from ..selectors import latest_content, legal_checklist
from ..services import charter_change_lifecycle_status, charter_reopen_drafting, lifecycle_blockers
from .pages import CharterPage

# The workflow action offered instead of « Approuver » while the step is blocked: it performs
# nothing and opens a modal that says why (Task.get_template_for_action).
MISSING_ITEMS_ACTION = "missing_items"
MISSING_ITEMS_LABEL = "Approuver : voir ce qui manque"


@dataclass(frozen=True)
class StepCheck:
    """The legal check of a charter at its current workflow step, in French."""

    step: str
    blockers: list[str] = field(default_factory=list)
    # Later steps that will need items still missing: (step name, missing item labels).
    upcoming: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def can_approve(self) -> bool:
        return not self.blockers


class CharterLifecycleTask(AbstractGroupApprovalTask):
    """A step of the charter's workflow, approved by a group; approval moves the life cycle."""

    status_on_approval = models.CharField(
        "étape du cycle de vie atteinte à l'approbation",
        max_length=32,
        choices=CharterStatus.choices,
        blank=True,
    )

    admin_form_fields = [*AbstractGroupApprovalTask.admin_form_fields, "status_on_approval"]

    class Meta:
        verbose_name = "étape du cycle de vie de la charte"
        verbose_name_plural = "étapes du cycle de vie de la charte"

    def _charter(self, obj) -> CharterPage | None:
        specific = getattr(obj, "specific", obj)
        return specific if isinstance(specific, CharterPage) else None

    def approval_blockers(self, obj) -> list[str]:
        """Why this step cannot be approved yet for this charter (empty list: it can)."""
        charter = self._charter(obj)
        if charter is None or not self.status_on_approval:
            return []
        return lifecycle_blockers(charter=charter, status=self.status_on_approval)

    def step_check(self, obj) -> StepCheck:
        """This step's blockers and the legal items later steps will need."""
        charter = self._charter(obj)
        check = StepCheck(step=self.name, blockers=self.approval_blockers(obj))
        if charter is None:
            return check
        workflow_state = charter.current_workflow_state
        workflow = workflow_state.workflow if workflow_state else charter.get_workflow()
        tasks = [task.specific for task in workflow.tasks] if workflow else []
        position = next((i for i, task in enumerate(tasks) if task.pk == self.pk), None)
        later = [
            task
            for task in (tasks[position + 1 :] if position is not None else [])
            if getattr(task, "status_on_approval", "") == CharterStatus.APPROVED
        ]
        if later:
            missing = [
                item.label
                for item in legal_checklist(charter=latest_content(charter=charter))
                if not item.ok
            ]
            if missing:
                check.upcoming.extend((task.name, missing) for task in later)
        return check

    def _owns_text(self, user) -> bool:
        """The secretariat owns the charter's text: it completes it at any step."""
        return has_role(user, SECRETARIAT)  # read once per user object

    def locked_for_user(self, obj, user):
        return super().locked_for_user(obj, user) and not self._owns_text(user)

    def start(self, workflow_state, user=None):
        charter = self._charter(workflow_state.content_object)
        first = workflow_state.workflow.workflow_tasks.order_by("sort_order").first()
        if charter is not None and first is not None and first.task_id == self.pk:
            # A signed charter cannot go back to drafting: the editor's checklist panel then
            # shows why this step cannot be approved.
            with contextlib.suppress(ValidationError):
                charter_reopen_drafting(charter=charter, user=user)
        return super().start(workflow_state, user=user)

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if actions and self.approval_blockers(obj):
            actions = [action for action in actions if action[0] != "approve"]
            actions.append((MISSING_ITEMS_ACTION, MISSING_ITEMS_LABEL, True))
        return actions

    def get_template_for_action(self, action):
        if action == MISSING_ITEMS_ACTION:
            return "charter/panels/workflow_missing_items_modal.html"
        return super().get_template_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == MISSING_ITEMS_ACTION:
            return None  # only explains; the modal has nothing to submit
        charter = self._charter(task_state.workflow_state.content_object)
        if action_name == "approve" and charter is not None:
            blockers = self.approval_blockers(charter)
            if blockers:
                raise ValidationError(" ".join(blockers))
        super().on_action(task_state, user, action_name, **kwargs)
        if action_name == "approve" and charter is not None and self.status_on_approval:
            charter.refresh_from_db()
            charter_change_lifecycle_status(
                charter=charter,
                user=user,
                status=self.status_on_approval,
                reason=f"Étape « {self.name} » approuvée. {kwargs.get('comment', '')}".strip(),
            )
        return None
