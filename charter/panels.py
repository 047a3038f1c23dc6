"""Admin panels of the charter editor (kept apart from models to avoid an import cycle)."""

from wagtail.admin.panels import Panel


class LegalChecklistPanel(Panel):
    """Shows the legal checklist (décret n° 2016-393) and the life-cycle status of the charter."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "charter/panels/legal_checklist.html"

        def get_context_data(self, parent_context=None):
            from django.urls import reverse

            from .selectors import export_checklist, legal_checklist, signature_states

            context = super().get_context_data(parent_context)
            context["checklist"] = legal_checklist(charter=self.instance)
            context["missing"] = [item for item in context["checklist"] if not item.ok]
            context["export_missing"] = [
                item for item in export_checklist(charter=self.instance) if not item.ok
            ]
            context["status"] = self.instance.get_lifecycle_status_display()
            if self.instance.pk:
                task = self.instance.current_workflow_task
                task = task.specific if task is not None else None
                if task is not None and hasattr(task, "approval_blockers"):
                    context["current_task"] = task
                    context["blockers"] = task.approval_blockers(self.instance)
                add_url = reverse("signatures:add")
                declared = {d.partner_id for d in self.instance.declarations.all()}
                context["signatures"] = [
                    (
                        signatory,
                        record,
                        reverse("signatures:edit", args=[record.pk])
                        if record
                        else f"{add_url}?charter={self.instance.pk}&partner={signatory.partner_id}",
                        signatory.partner_id in declared,
                    )
                    for signatory, record in signature_states(charter=self.instance)
                ]
            return context
