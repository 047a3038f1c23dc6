"""Wagtail's users app with the project's user admin (engagements/users.py).

Listed in INSTALLED_APPS instead of "wagtail.users" (config/base.py, at the end): Wagtail's
documented way to replace its UserViewSet; the app label stays "wagtailusers".
"""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "engagements.users.UserViewSet"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from wagtail.permissions import register_permission_policy

        from .permissions import UserPermissionPolicy

        User = get_user_model()
        register_permission_policy(User, UserPermissionPolicy(User))
        register_permission_policy(Group)
