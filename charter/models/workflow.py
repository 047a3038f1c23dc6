"""The charter's workflow step: approving it moves the life cycle (charter.services)."""

import contextlib

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.models import (
    AbstractGroupApprovalTask,
)

from ..choices import (
    CharterStatus,
)
from ..services import charter_change_lifecycle_status, charter_reopen_drafting, lifecycle_blockers
from .pages import CharterPage


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
        if self.approval_blockers(obj):
            actions = [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
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
