"""Snippet choosers that apply the permission of their snippet's listing (issue 12, item 3).

Wagtail's chooser views (`/admin/snippets/choose/<app>/<model>/`, its results, `chosen/<pk>/`,
`chosen-multiple/`) check no permission at all: anyone with admin access could list every
committee decision or partner account there. Every SnippetViewSet of the project sets
`chooser_viewset_class = ListingPermissionChooserViewSet` (tests/test_security_admin.py checks
every registered snippet): the user needs one of the listing's permissions, else 403, and only
the instances the model's permission policy grants are offered or returned (e.g. a partner
contributor's own commitments). Cross-cutting admin security, like middleware.py: no app owns it.
"""

from django.core.exceptions import PermissionDenied
from wagtail.permissions import policy_registry
from wagtail.snippets.views import chooser

# Wagtail's snippet listing (IndexView) requires any one of these.
LISTING_ACTIONS = ["add", "change", "delete", "view"]


class ListingPermissionMixin:
    """403 without a listing permission; objects limited to those the policy grants."""

    def dispatch(self, request, *args, **kwargs):
        policy = policy_registry.get_by_type(self.model_class)
        if not policy.user_has_any_permission(request.user, LISTING_ACTIONS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def permitted(self, queryset):
        policy = policy_registry.get_by_type(self.model_class)
        allowed = policy.instances_user_has_any_permission_for(self.request.user, LISTING_ACTIONS)
        return queryset.filter(pk__in=allowed.values("pk"))


class ChooseView(ListingPermissionMixin, chooser.ChooseView):
    def get_object_list(self):
        return self.permitted(super().get_object_list())


class ChooseResultsView(ListingPermissionMixin, chooser.ChooseResultsView):
    def get_object_list(self):
        return self.permitted(super().get_object_list())


class ChosenView(ListingPermissionMixin, chooser.SnippetChosenView):
    def get_object(self, pk):
        return self.permitted(self.model_class.objects.all()).get(pk=pk)


class ChosenMultipleView(ListingPermissionMixin, chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return self.permitted(super().get_objects(pks))


class CreateView(ListingPermissionMixin, chooser.SnippetCreateView):
    pass


class ListingPermissionChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
    create_view_class = CreateView
