"""What a partner's staff has to do now: the open review campaigns and returned proposals."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils import timezone

from charter.models import Partner
from engagements.choices import ProposalStatus
from engagements.models import Commitment, CommitmentProposal

from ..choices import CampaignStatus
from ..models import ReviewCampaign
from .review import pending_commitments


@dataclass
class CampaignWork:
    """One open campaign as a partner sees it: the deadline and what is left to update."""

    campaign: ReviewCampaign
    pending: int
    days_left: int


@dataclass
class PartnerWork:
    """The home panel of a partner's staff."""

    partner: Partner
    total: int
    campaigns: list[CampaignWork] = field(default_factory=list)
    returned: list[CommitmentProposal] = field(default_factory=list)


def partner_work(*, partner: Partner, today: datetime.date | None = None) -> PartnerWork:
    """Open campaigns on the partner's charters, its pending updates, returned proposals."""
    today = today or timezone.localdate()
    own = Commitment.objects.filter(partner=partner)
    campaigns = []
    for campaign in ReviewCampaign.objects.filter(status=CampaignStatus.OPEN).select_related(
        "charter"
    ):
        if not own.filter(action__path__startswith=campaign.charter.path).exists():
            continue
        pending = pending_commitments(campaign=campaign).filter(partner=partner).count()
        campaigns.append(
            CampaignWork(
                campaign=campaign, pending=pending, days_left=(campaign.deadline - today).days
            )
        )
    newer = CommitmentProposal.objects.filter(
        commitment_id=OuterRef("commitment_id"), proposed_at__gt=OuterRef("proposed_at")
    )
    returned = list(
        CommitmentProposal.objects.filter(
            commitment__partner=partner, review_status=ProposalStatus.RETURNED
        )
        .exclude(Exists(newer))
        .select_related("commitment__action", "reviewed_by")
        .order_by("-reviewed_at")[:10]
    )
    return PartnerWork(partner=partner, total=own.count(), campaigns=campaigns, returned=returned)
