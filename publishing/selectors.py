"""Named reads of charter versions: what the public sees, and the version in force."""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from charter.models import CharterPage

from .models import CharterVersion


def public_charters() -> QuerySet[CharterPage]:
    """The charters whose versions the public site shows: public ones only (live, unrestricted)."""
    return CharterPage.objects.public()


def public_versions(*, charter: CharterPage) -> QuerySet[CharterVersion]:
    """Versions shown on the public site, most recent first."""
    return CharterVersion.objects.filter(charter=charter, is_public=True).order_by(
        "-effective_date", "-created_at"
    )


def version_in_force(*, charter: CharterPage, snapshot: bool = True) -> CharterVersion | None:
    """The most recent public version already in force (else the most recent public one).

    One query. `snapshot=False` leaves the frozen text out (read on first access): a page that
    only links to the version's documents does not decode it.
    """
    in_force = Case(
        When(effective_date__lte=timezone.localdate(), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    versions = public_versions(charter=charter)
    if not snapshot:
        versions = versions.defer("snapshot")
    return versions.order_by(in_force, "-effective_date", "-created_at").first()


def previous_version(*, version: CharterVersion) -> CharterVersion | None:
    """The public version just before this one."""
    return (
        public_versions(charter=version.charter)
        .filter(effective_date__lt=version.effective_date)
        .first()
    )
