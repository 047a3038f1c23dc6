"""Wagtail admin presentation of commitments and the partner workspace."""

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
    "PartnerMembershipViewSet",
    "comment_view",
    "my_commitments_view",
    "proposal_list_view",
    "proposal_review_view",
]
