"""Who may import: superusers, the CCAPEX secretariat group, or holders of imports.run_import."""

from charter.roles import SECRETARIAT


def can_import(user) -> bool:
    """Whether the user may import files into the platform."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm("imports.run_import"):
        return True
    return user.groups.filter(name=SECRETARIAT).exists()
