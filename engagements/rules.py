"""The rules of a commitment change, in one place: form, bulk update, proposals and imports.

`validate_commitment_change` checks a change against every rule and returns the cleaned values,
or raises one ValidationError naming each failing field with its French message. Every path
that changes a commitment calls it; no other module words these rules.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .choices import COMMITMENT_STATUS_TRANSITIONS, CommitmentStatus
from .documents import check_evidence_document, check_public_evidence

# A change of one of these is a progress report: it dates `last_reported_at`. Editing the
# text, the owner, the due date or only the evidence is not a report.
REPORT_FIELDS = ("status", "progress", "narrative")
# The values a progress report is made of (the evidence rule looks at these).
PROGRESS_VALUES = (*REPORT_FIELDS, "evidence_document", "evidence_url")
OVERDUE_WORDS = {"overdue", "late", "en_retard", "en retard"}
STATUS_VALUES = frozenset(CommitmentStatus.values)
REPORT_SET = frozenset(REPORT_FIELDS)
PROGRESS_SET = frozenset(PROGRESS_VALUES)
validate_http_url = URLValidator(schemes=["http", "https"])

OVERDUE_MESSAGE = "« En retard » n'est pas un statut : il est calculé d'après l'échéance."
EVIDENCE_REQUIRED_MESSAGE = (
    "Un engagement « Réalisé » demande un justificatif : choisissez un document des "
    "justificatifs du partenaire ou indiquez un lien http(s)."
)
EVIDENCE_URL_MESSAGE = "Le lien du justificatif doit être une adresse http(s) valide."
PROGRESS_NUMBER_MESSAGE = "L'avancement doit être un nombre entier."
PROGRESS_RANGE_MESSAGE = "L'avancement doit être compris entre 0 et 100 %."
REASON_MESSAGE = "Indiquez le motif du changement de statut."


def unknown_status_message(value: Any) -> str:
    """French message for a status that is not one of the five."""
    return f"Statut inconnu : « {value} »."


def transition_message(previous: str, target: str) -> str:
    """French message for a status change the transition table forbids."""
    return (
        f"Un engagement « {CommitmentStatus(previous).label} » ne peut pas passer "
        f"à « {CommitmentStatus(target).label} »."
    )


def is_progress_report(changed: Iterable[str]) -> bool:
    """Whether changing these fields reports progress (and so dates `last_reported_at`)."""
    return not REPORT_SET.isdisjoint(changed)


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def _current(commitment: Any, name: str) -> Any:
    if commitment is None:
        return None
    if name in ("evidence_document", "partner", "owner", "action"):
        return getattr(commitment, f"{name}_id")
    return getattr(commitment, name)


def changed_fields(*, commitment: Any, values: Mapping[str, Any]) -> list[str]:
    """The names whose value differs from the commitment's (related objects compared by id)."""
    if commitment is None:
        return list(values)
    return [name for name, value in values.items() if _pk(value) != _current(commitment, name)]


def validate_commitment_change(
    *,
    commitment: Any,
    changes: Mapping[str, Any],
    reason: str = "",
) -> dict[str, Any]:
    """Check a change of `commitment` (None: a new one); return the cleaned values or raise."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(changes)

    def value(name: str) -> Any:
        return cleaned[name] if name in cleaned else _current(commitment, name)

    if "status" in changes:
        raw = changes["status"]
        text = str(raw or "").strip()
        if text.lower() in OVERDUE_WORDS:
            errors["status"] = [OVERDUE_MESSAGE]
        elif text not in STATUS_VALUES:
            errors["status"] = [unknown_status_message(raw)]
        else:
            cleaned["status"] = text
    if "progress" in changes:
        try:
            progress = int(changes["progress"])
        except (TypeError, ValueError):
            errors["progress"] = [PROGRESS_NUMBER_MESSAGE]
        else:
            if not 0 <= progress <= 100:
                errors["progress"] = [PROGRESS_RANGE_MESSAGE]
            cleaned["progress"] = progress
    if "evidence_url" in changes:
        url = str(changes["evidence_url"] or "").strip()
        if url:
            try:
                validate_http_url(url)
            except ValidationError:
                errors["evidence_url"] = [EVIDENCE_URL_MESSAGE]
        cleaned["evidence_url"] = url
    if "narrative" in changes:
        cleaned["narrative"] = str(changes["narrative"] or "").strip()

    changed = changed_fields(commitment=commitment, values=cleaned)
    previous = _current(commitment, "status")
    target = value("status")
    if "status" not in errors and commitment is not None and target != previous:
        if not (reason or "").strip():
            errors.setdefault("reason", []).append(REASON_MESSAGE)
        if target not in COMMITMENT_STATUS_TRANSITIONS[CommitmentStatus(previous)]:
            errors["status"] = [transition_message(previous, target)]

    if "status" not in errors and target == CommitmentStatus.ACHIEVED:
        # "Réalisé" means done: 100 %. A report that leaves it "Réalisé" carries evidence.
        if {"status", "progress"} & set(changed) or commitment is None:
            cleaned["progress"] = 100
            errors.pop("progress", None)
        reported = not PROGRESS_SET.isdisjoint(changed)
        if (reported or commitment is None) and not (
            value("evidence_document") or value("evidence_url")
        ):
            errors.setdefault("evidence_url", []).append(EVIDENCE_REQUIRED_MESSAGE)

    document = value("evidence_document")
    if document is not None and "evidence_document" not in errors:
        moved = {"evidence_document", "partner"} & set(changed)
        if moved or commitment is None:
            try:
                check_evidence_document(document=document, partner_id=_pk(value("partner")))
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    errors.setdefault(name, []).extend(messages)
    if "evidence_public" in changes:
        cleaned["evidence_public"] = bool(changes["evidence_public"])
    published = {"evidence_public", "evidence_document", "evidence_url", "partner"}
    evidence_ok = not ({"evidence_document", "evidence_url"} & set(errors))
    touched = published & set(changed) or commitment is None
    if value("evidence_public") and touched and evidence_ok:
        # Published evidence: a link, or a document of the partner's public collection only.
        try:
            check_public_evidence(
                document=value("evidence_document"),
                url=value("evidence_url"),
                partner_id=_pk(value("partner")),
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return cleaned
