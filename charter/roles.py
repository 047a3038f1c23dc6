"""Roles: the Django groups of the partner workspace, and which partner a user works for.

Partners and their memberships live here in `charter`; the rights each role holds on
commitments are engagements' policy (`engagements/permissions.py`).
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

# Django groups created by the data migration engagements 0003_roles (names shown in the admin).
SECRETARIAT = "Secrétariat CCAPEX"
COPILOTS = "Co-pilotes"
COMMITTEE = "Membres du comité de suivi"
PARTNER_CONTRIBUTORS = "Contributeurs partenaires"
ROLES = (SECRETARIAT, COPILOTS, COMMITTEE, PARTNER_CONTRIBUTORS)


def user_partner_id(user: AbstractBaseUser | AnonymousUser | None) -> int | None:
    """The partner organisation a user works for, if any."""
    if user is None or not user.is_authenticated:
        return None
    membership = getattr(user, "partner_membership", None)
    return membership.partner_id if membership else None


def has_role(user: AbstractBaseUser | AnonymousUser | None, role: str) -> bool:
    """Whether the user belongs to the role's group (the user's groups read once per object)."""
    if user is None or not user.is_authenticated:
        return False
    names = getattr(user, "_role_names", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = names
    return role in names
