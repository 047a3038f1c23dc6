from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .viewsets import ActionListingViewSet, PartnerViewSet

register_snippet(PartnerViewSet)


@hooks.register("register_admin_viewset")
def register_action_listing():
    return ActionListingViewSet()
