"""Wagtail admin presentation of commitments, the partner workspace and indicators."""

from wagtail.snippets.views.snippets import SnippetViewSet

from core.choosers import ListingPermissionChooserViewSet

from ..models import Indicator
from .commitments import (
    CommitmentDeleteBulkAction,
    CommitmentFilterSet,
    CommitmentUpdateBulkAction,
    CommitmentViewSet,
)
from .workspace import (
    PartnerMembershipViewSet,
    comment_view,
    my_commitments_view,
    proposal_list_view,
    proposal_review_view,
)

__all__ = [
    "CommitmentDeleteBulkAction",
    "CommitmentFilterSet",
    "CommitmentUpdateBulkAction",
    "CommitmentViewSet",
    "IndicatorViewSet",
    "PartnerMembershipViewSet",
    "comment_view",
    "my_commitments_view",
    "proposal_list_view",
    "proposal_review_view",
]


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    chooser_viewset_class = ListingPermissionChooserViewSet
    icon = "table"
    add_to_admin_menu = True
    menu_label = "Indicateurs"
    menu_order = 140
    list_display = ["name", "kind", "unit", "source_partner"]
    list_filter = ["kind"]
    search_fields = ["name", "definition"]
    list_export = ["name", "kind", "unit", "definition"]
    export_filename = "indicateurs"
