"""Named reads of commitments, used by pages and dashboards."""

from django.db.models import Count, Q, QuerySet

from charter.models import CharterPage, Partner

from .choices import CommitmentStatus
from .models import Commitment


def commitments_for_charter(*, charter: CharterPage) -> QuerySet[Commitment]:
    """Every commitment of a charter, with partner and action loaded."""
    return (
        Commitment.objects.for_charter(charter)
        .select_related("partner", "action")
        .order_by("partner__name", "action__number", "position")
    )


def partner_status_counts(*, charter: CharterPage) -> QuerySet[Partner]:
    """Partners of a charter annotated with their number of commitments per status."""
    in_charter = Q(commitments__action__path__startswith=charter.path)
    annotations = {
        f"n_{status}": Count("commitments", filter=in_charter & Q(commitments__status=status))
        for status in CommitmentStatus.values
    }
    return (
        Partner.objects.annotate(n_total=Count("commitments", filter=in_charter), **annotations)
        .filter(n_total__gt=0)
        .order_by("name")
    )
