"""Named reads of commitments, used by pages and dashboards."""

from django.core.exceptions import ObjectDoesNotExist
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


# Fields shown in the internal timeline, in this order.
TIMELINE_FIELDS = (
    "status",
    "progress",
    "narrative",
    "evidence_document",
    "evidence_url",
    "owner",
    "due_date",
    "text",
    "partner",
    "action",
)


def commitment_timeline(*, commitment: Commitment) -> list[dict]:
    """Every recorded change of a commitment, newest first, with author, reason and fields."""
    records = list(
        commitment.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, included_fields=TIMELINE_FIELDS)
            order = {name: i for i, name in enumerate(TIMELINE_FIELDS)}
            for change in sorted(delta.changes, key=lambda c: order[c.field]):
                field = Commitment._meta.get_field(change.field)
                changes.append(
                    {
                        "field": str(field.verbose_name),
                        "old": _timeline_value(previous, change.field),
                        "new": _timeline_value(record, change.field),
                    }
                )
        user = record.history_user
        entries.append(
            {
                "date": record.history_date,
                "user": (user.get_full_name() or user.get_username()) if user else "",
                "reason": record.history_change_reason or "",
                "status": CommitmentStatus(record.status).label,
                "progress": record.progress,
                "created": record.history_type == "+",
                "changes": changes,
            }
        )
        previous = record
    return entries[::-1]


def _timeline_value(record, name: str) -> str:
    if name == "status":
        return CommitmentStatus(record.status).label
    if name in {"evidence_document", "owner", "partner", "action"}:
        try:
            value = getattr(record, name)
        except ObjectDoesNotExist:  # the related row may have been deleted since
            value = None
        return str(value) if value else "—"
    value = getattr(record, name)
    if value in (None, ""):
        return "—"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    text = " ".join(str(value).split())
    return text if len(text) <= 120 else text[:119] + "…"
