"""The user admin (/admin/users/): no account takeover by a non-superuser (issue 12, item 9).

Wagtail lets anyone holding "change user" edit every account, superusers included (password,
active state, groups), tick "Administrateur" and give any group. Here, with the rules of
permissions.py (UserPermissionPolicy, grantable_groups): only a superuser edits, deactivates or
deletes a superuser (403 otherwise, bulk actions leave them out) or grants superuser status; a
group is given only if it grants no right the editor lacks (the secretariat gives the workspace
roles); groups an editor may not give are kept as they were.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from wagtail.permissions import policy_registry
from wagtail.users import forms as user_forms
from wagtail.users.views import users as user_views
from wagtail.users.views.bulk_actions import (
    AssignRoleBulkAction,
    DeleteBulkAction,
    SetActiveStateBulkAction,
)

from .permissions import grantable_groups

SUPERUSER_REFUSED = (
    "Seul un superutilisateur peut accorder le statut d'administrateur : "
    "décochez cette case ou demandez-le à un superutilisateur."
)


def user_policy():
    return policy_registry.get_by_type(user_forms.User)


class RestrictedUserFormMixin:
    """Without superuser status: no "Administrateur" box, only the groups the editor may give."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        if for_user is None or for_user.is_superuser:
            return
        self.fields.pop("is_superuser", None)
        if "groups" in self.fields:
            self.fields["groups"].queryset = grantable_groups(for_user)

    @property
    def restricted(self) -> bool:
        return self.for_user is not None and not self.for_user.is_superuser

    def clean(self):
        cleaned_data = super().clean()
        if self.restricted and self.data.get("is_superuser") not in (None, "", "false", "off"):
            raise forms.ValidationError(SUPERUSER_REFUSED)
        return cleaned_data

    def clean_groups(self):
        groups = self.cleaned_data["groups"]
        if not self.restricted or self.instance.pk is None:
            return groups
        # Groups the editor may not give stay as they were (neither added nor removed).
        kept = self.instance.groups.exclude(pk__in=grantable_groups(self.for_user).values("pk"))
        return groups | kept


class UserCreationForm(RestrictedUserFormMixin, user_forms.UserCreationForm):
    pass


class UserEditForm(RestrictedUserFormMixin, user_forms.UserEditForm):
    pass


class ForUserFormMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class IndexView(user_views.IndexView):
    """No edit or delete link towards an account the user may not change or delete."""

    def allowed(self, action, instance) -> bool:
        return user_policy().user_has_permission_for_instance(self.request.user, action, instance)

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if self.allowed("change", instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if self.allowed("delete", instance) else None


class CreateView(ForUserFormMixin, user_views.CreateView):
    pass


class EditView(ForUserFormMixin, user_views.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if not user_policy().user_has_permission_for_instance(request.user, "change", self.object):
            raise PermissionDenied


class DeleteView(user_views.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        target = self.get_object()
        if not user_policy().user_has_permission_for_instance(request.user, "delete", target):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UserViewSet(user_views.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm


# Bulk actions (/admin/bulk/wagtailusers/user/<action>/): registered after Wagtail's own
# (engagements/wagtail_hooks.py), so that these replace them.


class PolicyCheckedMixin:
    permission_action = "change"

    def check_perm(self, obj):
        return user_policy().user_has_permission_for_instance(
            self.request.user, self.permission_action, obj
        )


class UserSetActiveStateBulkAction(PolicyCheckedMixin, SetActiveStateBulkAction):
    pass


class UserAssignRoleBulkAction(PolicyCheckedMixin, AssignRoleBulkAction):
    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["role"].queryset = grantable_groups(self.request.user)
        return form


class UserDeleteBulkAction(PolicyCheckedMixin, DeleteBulkAction):
    permission_action = "delete"

    def check_perm(self, obj):
        return super().check_perm(obj) and DeleteBulkAction.check_perm(self, obj)
