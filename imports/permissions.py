"""Who may import: superusers, the CCAPEX secretariat group, or holders of imports.run_import."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from charter.roles import SECRETARIAT, has_role

from .models import UnplacedLine


def can_import(user) -> bool:
    """Whether the user may import files into the platform."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm("imports.run_import"):
        return True
    return has_role(user, SECRETARIAT)


class UnplacedPermissionPolicy(BasePermissionPolicy):
    """Whoever may import may read and resolve the lines; nobody adds, copies or deletes one."""

    ACTIONS = ("view", "change")

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and can_import(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        queryset = UnplacedLine.objects.all()
        return queryset if self.user_has_any_permission(user, actions) else queryset.none()

    def users_with_any_permission(self, actions):
        """The users `can_import` lets in, in one query (not one check per user)."""
        if not set(actions) & set(self.ACTIONS):
            return get_user_model().objects.none()
        perm = Q(content_type__app_label="imports", codename="run_import")
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(groups__name=SECRETARIAT)
                | Q(user_permissions__in=Permission.objects.filter(perm))
                | Q(groups__permissions__in=Permission.objects.filter(perm))
            )
            .distinct()
        )


unplaced_permission_policy = UnplacedPermissionPolicy(UnplacedLine)
