"""Who may read the dashboards and who may run the yearly review.

Checked through Django permissions (cached on the user for the request, so the admin menu costs
no query); migration 0004 grants them to the groups named in choices.py.
"""

from .choices import DASHBOARD_GROUPS, REVIEW_MANAGER_GROUPS  # noqa: F401 (documented there)
from .models import Indicator


def can_view_dashboards(user) -> bool:
    """Committee members, co-pilots, the secretariat and superusers."""
    return bool(user and user.is_active and user.has_perm("monitoring.view_dashboards"))


def can_manage_review(user) -> bool:
    """The CCAPEX secretariat and superusers open, remind and close review campaigns."""
    return bool(user and user.is_active and user.has_perm("monitoring.manage_review"))


def recordable_indicators(user):
    """Indicators whose yearly values a user may enter: all for the secretariat, else its own."""
    if can_manage_review(user):
        return Indicator.objects.all()
    membership = getattr(user, "partner_membership", None) if user.is_authenticated else None
    if membership is None or not user.is_active:
        return Indicator.objects.none()
    return Indicator.objects.filter(source_partner_id=membership.partner_id)


def can_record_indicators(user) -> bool:
    """Whether to show the entry menu item (memoised on the user: one query at most)."""
    cached = getattr(user, "_monitoring_can_record", None)
    if cached is None:
        if can_manage_review(user):
            cached = True
        elif not user.is_authenticated or getattr(user, "partner_membership", None) is None:
            cached = False
        else:
            cached = recordable_indicators(user).exists()
        user._monitoring_can_record = cached
    return cached
