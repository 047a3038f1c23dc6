"""Charter content: editions as Wagtail pages (orientations → actions), partners, signatures.

Import order matters only here: `workflow` comes last because it uses `charter.services`,
which reads the other modules (`charter.models.pages`, `.partners`, `.signatures`) directly.
"""

from .pages import (
    ActionPage,
    CharterPage,
    LegalChecklistPanel,
    OrientationPage,
    PublicBranchMixin,
    PublicPageManager,
    PublicPageQuerySet,
    current_charter,
    lexicon_for,
    public_page_q,
)
from .partners import Partner, PartnerMembership, PartnerRow, commitment_groups
from .signatures import Declaration, MayorInvitationRequest, Signatory, Signature
from .workflow import CharterLifecycleTask

__all__ = [
    "ActionPage",
    "CharterLifecycleTask",
    "CharterPage",
    "Declaration",
    "LegalChecklistPanel",
    "MayorInvitationRequest",
    "OrientationPage",
    "Partner",
    "PartnerMembership",
    "PartnerRow",
    "PublicBranchMixin",
    "PublicPageManager",
    "PublicPageQuerySet",
    "Signatory",
    "Signature",
    "commitment_groups",
    "current_charter",
    "lexicon_for",
    "public_page_q",
]
