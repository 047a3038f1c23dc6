"""Wagtail's « Historique du site » report, narrowed to the commitments a user may read.

Wagtail lets anyone holding one permission on a model read every log entry of that model: a
partner contributor (view/change on commitments) would read every partner's reasons, comments
and proposals, and the names of those who wrote them. This view replaces Wagtail's at the same
URLs (config/urls.py), for the page, its results and its CSV/XLSX export.
"""

from django.contrib.auth import get_user_model
from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
    get_actions_for_filter,
)
from wagtail.log_actions import registry as log_action_registry

from ..permissions import visible_log_entries


def visible_entries_by_model(user):
    """Each registered log model's entries that the user may read."""
    return [
        visible_log_entries(user, log_model.objects.viewable_by_user(user))
        for log_model in log_action_registry.get_log_entry_models()
    ]


class ScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    def get_user_choices(self):
        user_ids = set()
        for entries in visible_entries_by_model(self.request.user):
            user_ids.update(entries.get_user_ids())
        User = get_user_model()
        return User.objects.filter(pk__in=user_ids).order_by(User.USERNAME_FIELD)

    def get_action_choices(self):
        actions = set()
        for entries in visible_entries_by_model(self.request.user):
            actions.update(entries.get_actions())
        return [
            choice for choice in get_actions_for_filter(self.request.user) if choice[0] in actions
        ]


class ScopedSiteHistoryView(LogEntriesView):
    filterset_class = ScopedSiteHistoryFilterSet

    def filter_queryset(self, queryset):
        # Called once per log model, on its `viewable_by_user` entries (see LogEntriesView).
        return super().filter_queryset(visible_log_entries(self.request.user, queryset))
