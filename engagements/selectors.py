"""Named reads of commitments, used by pages and dashboards."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail import hooks
from wagtail.models import Page

from charter.choices import PartnerKind, SignatureStatus
from charter.models import (
    ActionPage,
    CharterPage,
    Declaration,
    OrientationPage,
    Partner,
    Signatory,
    Signature,
)

from .choices import CLOSED_STATUSES, CommitmentStatus
from .figures import (  # noqa: F401 - the figures are read through the selectors
    Figures,
    annotate_group_figures,
    commitment_figures,
    commitment_figures_by,
    figure_aggregates,
    group_figures,
)
from .models import Commitment, PartnerDocumentSpace

# The app owning steering-committee meetings (monitoring, a higher layer) answers this hook
# with a callable `(today=None) -> meeting | None` (an object with `date` and `__str__`).
LAST_MEETING_HOOK = "last_committee_meeting"


def last_committee_meeting(today: datetime.date | None = None) -> Any:
    """The latest steering-committee meeting held on or before today, None if none."""
    for answer in hooks.get_hooks(LAST_MEETING_HOOK):
        return answer(today=today)
    return None


# Fields shown in the internal timeline, in this order.
TIMELINE_FIELDS = (
    "status",
    "progress",
    "narrative",
    "internal_note",
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


# --- Public reads (anonymous pages: published content only, never owners nor reasons) -------


def public_commitments() -> QuerySet[Commitment]:
    """Commitments whose action is public: `Commitment.objects.public()` (one rule, SQL only)."""
    return Commitment.objects.public()


def public_charters() -> QuerySet[CharterPage]:
    """Charter editions (and plans) visible on the public site: `CharterPage.objects.public()`."""
    return CharterPage.objects.public()


def public_charter(*, slug: str) -> CharterPage | None:
    """One published charter by its slug, or None."""
    return public_charters().filter(slug=slug).first()


def public_commitment(*, pk: int) -> Commitment | None:
    """One published commitment with its partner, action and public evidence, or None."""
    return (
        with_public_evidence(public_commitments().select_related("partner", "action"))
        .filter(pk=pk)
        .first()
    )


def public_charter_structure(*, charter: CharterPage) -> list[OrientationPage]:
    """The public orientations of a charter, each with `action_list`: its public actions."""
    orientations = list(
        OrientationPage.objects.child_of(charter).public().order_by("number", "path")
    )
    by_path = {orientation.path: orientation for orientation in orientations}
    for orientation in orientations:
        orientation.action_list = []
    actions = ActionPage.objects.descendant_of(charter).public().order_by("number", "path")
    for action in actions:
        orientation = by_path.get(action.path[: -Page.steplen])
        if orientation is not None:
            orientation.action_list.append(action)
    return orientations


def with_public_evidence(queryset: QuerySet) -> QuerySet:
    """Commitments annotated with whether their evidence document may be shown publicly.

    `evidence_document_public`: the document sits in its partner's public collection
    (« Justificatifs publiés »). Read it through `public_evidence`, never directly.
    """
    in_public_collection = PartnerDocumentSpace.objects.filter(
        partner_id=OuterRef("partner_id"),
        public_collection_id=OuterRef("evidence_document__collection_id"),
    )
    return queryset.select_related("evidence_document").annotate(
        evidence_document_public=Exists(in_public_collection)
    )


def public_evidence(commitment: Commitment) -> dict | None:
    """The evidence a public page may show for a commitment, or None (the one rule).

    Shown only when the commitment is « Réalisé » and its partner chose to publish the evidence:
    the link, and the document only when it sits in the partner's public collection (a document
    of the private « Justificatifs » collection never reaches a public page, whatever the flag).
    The commitment comes from `with_public_evidence`.
    """
    if not commitment.evidence_public or commitment.status != CommitmentStatus.ACHIEVED:
        return None
    document = None
    if commitment.evidence_document_id and getattr(commitment, "evidence_document_public", False):
        document = commitment.evidence_document
    if document is None and not commitment.evidence_url:
        return None
    return {"url": commitment.evidence_url, "document": document}


def public_commitments_for_charter(*, charter: CharterPage) -> list[Commitment]:
    """The published commitments of a charter, with partner, action (one query) and co-partners
    (one more).

    Each carries the figures of its partner's commitments in the charter and of all of them
    (`group_figures(commitment, "partner")`, `group_figures(commitment, "all")`).
    """
    queryset = (
        public_commitments()
        .for_charter(charter)
        .select_related("partner", "action")
        .order_by("action__number", "partner__name", "position", "pk")
    )
    queryset = annotate_group_figures(queryset, group="partner", partition_by=[F("partner_id")])
    return list(annotate_group_figures(queryset, group="all").prefetch_related("co_partners"))


def public_commitments_for_partner(*, partner: Partner) -> list[Commitment]:
    """A partner's published commitments in every charter, with their action (one query) and
    co-partners (one more).

    Each carries the figures of the partner's commitments in its charter and in all charters
    (`group_figures(commitment, "charter")`, `group_figures(commitment, "all")`).
    """
    queryset = with_public_evidence(
        public_commitments()
        .filter(partner=partner)
        .select_related("partner", "action")
        .order_by("action__path", "position", "pk")
    )
    # The charter is the action's grand-parent page: its path is the action's, two steps shorter.
    charter_path = Substr("action__path", 1, Length("action__path") - 2 * Page.steplen)
    queryset = annotate_group_figures(queryset, group="charter", partition_by=[charter_path])
    return list(annotate_group_figures(queryset, group="all").prefetch_related("co_partners"))


def public_shared_commitments_for_partner(
    *, partner: Partner, signatories: list[Signatory]
) -> list[Commitment]:
    """The published commitments a partner shares without carrying them: those it co-owns, and
    the collective partner's (« Ensemble des signataires ») in the published charters it signs.

    Porteur, action and co-partners loaded (two queries, whatever their number); each is counted
    under its porteur, never here.
    """
    in_signed_charters = Q(pk__in=[])
    for signatory in signatories:  # `public_signatories(partner=partner)`
        in_signed_charters |= Q(action__path__startswith=signatory.charter.path)
    collective = Q(partner__kind=PartnerKind.COLLECTIVE) & in_signed_charters
    return list(
        public_commitments()
        .filter(Q(co_partners=partner) | collective)
        .exclude(partner=partner)
        .distinct()
        .select_related("partner", "action")
        .prefetch_related("co_partners")
        .order_by("action__path", "partner__name", "position", "pk")
    )


def public_progress_note_dates(*, commitments: list[Commitment]) -> None:
    """Date each commitment's public point d'avancement, and flag one older than its closing.

    Sets `progress_note_date` (the date of `last_reported_at`) and `progress_note_predates`: for
    an achieved or abandoned commitment whose point d'avancement was written before its last
    status change, the date of that change (and `progress_note_date` becomes the writing date).
    One query on the history (date, status and point d'avancement only), closed commitments only.
    """
    closed = {}
    for commitment in commitments:
        reported = commitment.last_reported_at
        commitment.progress_note_date = timezone.localtime(reported).date() if reported else None
        commitment.progress_note_predates = None
        if commitment.narrative and commitment.status in CLOSED_STATUSES:
            closed[commitment.pk] = commitment
    if not closed:
        return
    rows = (
        Commitment.history.filter(id__in=closed)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", "status", "narrative")
    )
    since: dict[int, list] = {}  # id -> [previous status, previous note, note since, status since]
    for pk, when, status, narrative in rows:
        state = since.get(pk)
        if state is None:
            since[pk] = [status, narrative, when, when]
            continue
        if narrative != state[1]:
            state[1], state[2] = narrative, when
        if status != state[0]:
            state[0], state[3] = status, when
    for pk, (_status, _note, note_since, status_since) in since.items():
        if note_since < status_since:
            closed[pk].progress_note_date = timezone.localtime(note_since).date()
            closed[pk].progress_note_predates = timezone.localtime(status_since).date()


def public_signatories(*, partner: Partner | None = None) -> QuerySet[Signatory]:
    """Signatories of the published charters (optionally of one partner), charter loaded."""
    queryset = Signatory.objects.filter(charter__in=public_charters()).select_related(
        "charter", "partner"
    )
    if partner is not None:
        queryset = queryset.filter(partner=partner)
    return queryset.order_by("charter__path", "sort_order", "pk")


def public_signature_records(*, partner: Partner) -> dict[int, Signature]:
    """A partner's recorded signatures (status, signer, date) per published charter id."""
    records = Signature.objects.filter(partner=partner, charter__in=public_charters()).only(
        "charter_id", "partner_id", "status", "signer_name", "signer_title", "signed_on"
    )
    return {record.charter_id: record for record in records}


def public_declarations(*, partner: Partner) -> QuerySet[Declaration]:
    """A partner's declarations attached to the published charters."""
    return (
        Declaration.objects.filter(partner=partner, charter__in=public_charters())
        .select_related("charter")
        .order_by("charter__path", "sort_order", "pk")
    )


def public_partners() -> list[Partner]:
    """Partners that sign a published charter or have a published commitment, by name."""
    with_commitments = public_commitments().values("partner_id")
    signing = Signatory.objects.filter(charter__in=public_charters()).values("partner_id")
    return list(
        Partner.objects.filter(Q(pk__in=with_commitments) | Q(pk__in=signing)).order_by("name")
    )


def signature_date(*, commitment: Commitment, charter: CharterPage | None) -> datetime.date | None:
    """When the commitment was taken: its partner's signature of the charter, else the charter's
    entry into force; None for a commitment added after signature (`in_signed_text` unset)."""
    if not commitment.in_signed_text or charter is None:
        return None
    signed_on = (
        Signature.objects.filter(
            charter=charter, partner_id=commitment.partner_id, status=SignatureStatus.SIGNED
        )
        .values_list("signed_on", flat=True)
        .first()
    )
    return signed_on or charter.start_date


def public_status_timeline(
    *, commitment: Commitment, signed_on: datetime.date | None = None
) -> list[dict]:
    """The commitment's status changes, oldest first: date, old → new status, progress.

    Built from the simple-history rows, reading only the date, status and progress columns:
    never the user, the reason or any other field. For a commitment of the signed text
    (`signed_on`, from `signature_date`), its first state is dated from the signature, not from
    the day it was entered in the database (when that day is later).
    """
    records = commitment.history.order_by("history_date", "history_id").values(
        "history_date", "history_type", "status", "progress"
    )
    entries: list[dict] = []
    previous_status = None
    for record in records:
        status = record["status"]
        if previous_status is None or status != previous_status:
            entries.append(
                {
                    "date": record["history_date"],
                    "signed": False,
                    "created": previous_status is None,
                    "old_status": previous_status or "",
                    "old_status_label": (
                        CommitmentStatus(previous_status).label if previous_status else ""
                    ),
                    "status": status,
                    "status_label": CommitmentStatus(status).label,
                    "progress": record["progress"],
                }
            )
        previous_status = status
    if entries and signed_on is not None:
        first = entries[0]
        if signed_on < timezone.localtime(first["date"]).date():
            first["date"] = signed_on
            first["signed"] = True
    return entries


def _display(commitment: Commitment | Any, name: str) -> str:
    value = getattr(commitment, name)
    if name == "status":
        return CommitmentStatus(value).label if value else "—"
    if value in (None, ""):
        return "—"
    if name in {"narrative", "internal_note", "text"}:
        text = " ".join(str(value).split())
        return text if len(text) <= 60 else text[:59] + "…"
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _label(name: str) -> str:
    return str(Commitment._meta.get_field(name).verbose_name)


@dataclass(frozen=True)
class ChangesSince:
    """Who last changed a commitment after a given version, when, and what differs (French)."""

    author: str
    when: str
    changes: list[str]


def commitment_changes_since(
    *, commitment: Commitment, version: int, fields: tuple[str, ...]
) -> ChangesSince:
    """The changes of `fields` between `version` and the commitment's current values."""
    records = list(commitment.history.filter(version__gt=version).order_by("history_date"))
    base = commitment.history.filter(version=version).order_by("-history_date").first()
    author = when = ""
    if records:
        last = records[-1]
        user = last.history_user
        author = (user.get_full_name() or user.get_username()) if user else "un autre utilisateur"
        when = timezone.localtime(last.history_date).strftime("%d/%m/%Y à %H:%M")
    changes = []
    if base is not None:
        for name in fields:
            before, after = (
                getattr(base, f"{name}_id", None),
                getattr(commitment, f"{name}_id", None),
            )
            if not hasattr(base, f"{name}_id"):
                before, after = getattr(base, name), getattr(commitment, name)
            if before != after:
                was, now = _display(base, name), _display(commitment, name)
                changes.append(f"{_label(name)} : « {was} » → « {now} »")
    return ChangesSince(author, when, changes)
