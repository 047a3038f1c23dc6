"""Domain verbs that change commitments: every state change goes through here."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.log_actions import log

from charter.choices import PartnerKind
from charter.models import Partner, PartnerMembership
from charter.roles import PARTNER_CONTRIBUTORS

from .choices import CommitmentStatus, ProposalStatus
from .documents import membership_documents_sync
from .models import Commitment, CommitmentComment, CommitmentProposal, WorkspaceSettings
from .notifications import proposal_review_notify
from .permissions import (
    can_manage,
    can_update,
    can_validate,
    sees_all_commitments,
    visible_commitments,
)
from .rules import changed_fields, is_progress_report, validate_commitment_change
from .selectors import commitment_changes_since

# Fields a partner contributor reports on; the others are the secretariat's ("details").
PROGRESS_FIELDS = ("status", "progress", "narrative", "evidence_document", "evidence_url", "owner")
DETAIL_FIELDS = ("partner", "action", "position", "text", "due_date")
DEFAULT_REASON = "Mise à jour de l'avancement"
DETAILS_REASON = "Modification de l'engagement"


class CommitmentConflict(ValidationError):
    """Raised when a save starts from a version that someone else has since changed."""


def _changes_since(current: Commitment, version: int) -> tuple[str, str]:
    """(« par X le … », « Changements intervenus : … ») since `version`, for French messages."""
    since = commitment_changes_since(
        commitment=current,
        version=version,
        fields=(*PROGRESS_FIELDS, *DETAIL_FIELDS, "internal_note"),
    )
    who = f" par {since.author} le {since.when}" if since.author else ""
    detail = (
        (" Changements intervenus : " + " ; ".join(since.changes) + ".") if since.changes else ""
    )
    return who, detail


def _conflict_message(current: Commitment, expected_version: int) -> str:
    """French message naming who changed the commitment since `expected_version`, and what."""
    who, detail = _changes_since(current, expected_version)
    return (
        f"Cet engagement a été modifié{who} pendant votre saisie : vos modifications n'ont pas "
        f"été enregistrées.{detail} Rechargez la page pour repartir de la version à jour."
    )


def commitment_update(
    *,
    commitment: Commitment,
    user: AbstractBaseUser | None,
    status: str,
    progress: int,
    narrative: str,
    evidence_document: Any = None,
    evidence_url: str = "",
    reason: str,
    expected_version: int | None,
    owner: Any = ...,  # a user, None to clear, or ... to keep the current owner
    details: Mapping[str, Any] | None = None,
    internal_note: str | None = None,  # None keeps the current note
    evidence_public: Any = ...,  # True/False, or ... to keep the current choice
) -> Commitment:
    """Apply a progress update (and, for the secretariat, detail changes) as one history entry."""
    reason = (reason or "").strip()
    details = dict(details or {})
    if unknown := set(details) - set(DETAIL_FIELDS):
        raise ValidationError(f"Champs non modifiables ici : {', '.join(sorted(unknown))}.")
    if user is not None and details and not can_manage(user):
        raise PermissionDenied(
            "Seul le secrétariat peut changer le partenaire, l'action ou le texte."
        )
    values = {
        "status": status,
        "progress": progress,
        "narrative": narrative,
        "evidence_document": evidence_document,
        "evidence_url": evidence_url,
        **details,
    }
    if owner is not ...:
        values["owner"] = owner
    if evidence_public is not ...:
        values["evidence_public"] = bool(evidence_public)

    with transaction.atomic():
        # Lock the row: two concurrent changes cannot both start from the same version.
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if user is not None and not can_update(user, locked):
            raise PermissionDenied("Vous ne pouvez pas modifier cet engagement.")
        if expected_version is not None and locked.version != expected_version:
            raise CommitmentConflict(_conflict_message(locked, expected_version))
        previous = CommitmentStatus(locked.status)
        new_values = validate_commitment_change(commitment=locked, changes=values, reason=reason)
        if internal_note is not None:
            new_values["internal_note"] = internal_note.strip()
        target = CommitmentStatus(new_values["status"])
        changed = changed_fields(commitment=locked, values=new_values)
        if not changed:
            commitment.refresh_from_db()
            return commitment
        for name in changed:
            setattr(locked, name, new_values[name])
        locked.full_clean(exclude=["action", "partner"] if not details else None)
        locked.version += 1
        if is_progress_report(changed):
            locked.last_reported_at = timezone.now()
        locked._change_reason = reason or (
            DETAILS_REASON if set(changed) <= set(DETAIL_FIELDS) else DEFAULT_REASON
        )
        locked._history_user = user
        locked.save()
        log(
            instance=locked,
            action=("engagements.change_status" if "status" in changed else "engagements.update"),
            user=user,
            data={
                "from": previous.value,
                "to": target.value,
                "reason": reason,
                "changed": changed,
                "version": locked.version,
            },
        )
    commitment.refresh_from_db()
    return commitment


def commitment_create(
    *, action: Any, partner: Partner, text: str, user: AbstractBaseUser | None, reason: str
) -> Commitment:
    """Create a partner's commitment for an action, after its last one there (secretariat)."""
    if user is not None and not can_manage(user):
        raise PermissionDenied("Seul le secrétariat peut ajouter un engagement.")
    with transaction.atomic():
        last = Commitment.objects.filter(action=action, partner=partner).aggregate(
            last=Max("position")
        )["last"]
        commitment = Commitment(
            action=action, partner=partner, position=(last or 0) + 1, text=text.strip()
        )
        commitment.full_clean()
        commitment._change_reason = reason
        commitment._history_user = user
        commitment.save()
        log(instance=commitment, action="wagtail.create", user=user, data={"reason": reason})
    return commitment


def commitment_change_status(
    *,
    commitment: Commitment,
    user: AbstractBaseUser | None,
    status: str,
    reason: str,
    evidence_url: str = "",
    evidence_document: Any = None,
) -> Commitment:
    """Move a commitment to an allowed new status, keeping its other values."""
    current = Commitment.objects.get(pk=commitment.pk)
    commitment_update(
        commitment=commitment,
        user=user,
        status=status,
        progress=current.progress,
        narrative=current.narrative,
        evidence_document=evidence_document or current.evidence_document,
        evidence_url=evidence_url or current.evidence_url,
        reason=reason,
        expected_version=None,
    )
    return commitment


def validation_required_for(user: AbstractBaseUser | None) -> bool:
    """Whether this user's updates wait for a co-pilot (partner contributors, when enabled)."""
    if user is None or sees_all_commitments(user):
        return False
    return WorkspaceSettings.load().require_validation


def commitment_submit_update(
    *,
    commitment: Commitment,
    user: AbstractBaseUser,
    status: str,
    progress: int,
    narrative: str,
    evidence_document: Any = None,
    evidence_url: str = "",
    reason: str,
    expected_version: int | None,
    owner: Any = ...,  # a user, None to clear, or ... to keep the current owner
    details: Mapping[str, Any] | None = None,
    internal_note: str | None = None,  # None keeps the current note
    evidence_public: Any = ...,  # True/False, or ... to keep the current choice
) -> CommitmentProposal | Commitment:
    """Apply an update, or store it as a pending proposal when validation is required."""
    values = {
        "evidence_public": evidence_public,
        "internal_note": internal_note,
        "status": status,
        "progress": progress,
        "narrative": narrative,
        "evidence_document": evidence_document,
        "evidence_url": evidence_url,
        "reason": reason,
        "expected_version": expected_version,
        "owner": owner,
    }
    if not validation_required_for(user):
        return commitment_update(commitment=commitment, user=user, details=details, **values)
    return commitment_propose_update(commitment=commitment, user=user, **values)


def commitment_propose_update(
    *,
    commitment: Commitment,
    user: AbstractBaseUser,
    status: str,
    progress: int,
    narrative: str,
    evidence_document: Any = None,
    evidence_url: str = "",
    reason: str,
    expected_version: int | None,
    owner: Any = ...,  # a user, None to clear, or ... to keep the current owner
    internal_note: str | None = None,  # None keeps the current note
    evidence_public: Any = ...,  # True/False, or ... to keep the current choice
) -> CommitmentProposal:
    """Record a partner's update as a proposal; the commitment itself does not change."""
    reason = (reason or "").strip()
    values = {
        "status": status,
        "progress": progress,
        "narrative": narrative,
        "evidence_document": evidence_document,
        "evidence_url": evidence_url,
    }
    if evidence_public is not ...:
        values["evidence_public"] = bool(evidence_public)
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if not can_update(user, locked):
            raise PermissionDenied("Vous ne pouvez pas modifier cet engagement.")
        if expected_version is not None and locked.version != expected_version:
            raise CommitmentConflict(_conflict_message(locked, expected_version))
        cleaned = validate_commitment_change(commitment=locked, changes=values, reason=reason)
        target = CommitmentStatus(cleaned["status"])
        proposal = CommitmentProposal(
            commitment=locked,
            status=target.value,
            progress=cleaned["progress"],
            narrative=cleaned["narrative"],
            internal_note=(
                locked.internal_note if internal_note is None else internal_note.strip()
            ),
            evidence_document=evidence_document,
            evidence_url=cleaned["evidence_url"],
            evidence_public=cleaned.get("evidence_public", locked.evidence_public),
            owner=locked.owner if owner is ... else owner,
            reason=reason,
            base_version=locked.version,
            proposed_by=user,
        )
        proposal.full_clean(exclude=["commitment", "proposed_by", "owner", "evidence_document"])
        try:
            with transaction.atomic():
                proposal.save()
        except IntegrityError as error:
            raise ValidationError(
                "Une proposition est déjà en attente de validation pour cet engagement."
            ) from error
        log(
            instance=locked,
            action="engagements.propose",
            user=user,
            data={"proposal": proposal.pk, "status": target.value, "reason": reason},
        )
    return proposal


def _stale_proposal_message(current: Commitment, base_version: int) -> str:
    """French message: the proposal was written from an older version of its commitment."""
    who, detail = _changes_since(current, base_version)
    return (
        f"Cette proposition ne peut plus être validée : l'engagement a été modifié{who} depuis "
        f"qu'elle a été rédigée.{detail} Renvoyez-la au partenaire avec un commentaire pour "
        "qu'il la refasse à partir de la version à jour."
    )


def _check_pending(proposal: CommitmentProposal, user: AbstractBaseUser) -> CommitmentProposal:
    if not can_validate(user):
        raise PermissionDenied("Seuls les co-pilotes et le secrétariat valident les propositions.")
    locked = CommitmentProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.review_status != ProposalStatus.PENDING:
        raise ValidationError("Cette proposition a déjà été examinée.")
    return locked


def commitment_proposal_validate(
    *, proposal: CommitmentProposal, user: AbstractBaseUser
) -> CommitmentProposal:
    """Apply a pending proposal to its commitment, in the name of its author."""
    with transaction.atomic():
        locked = _check_pending(proposal, user)
        current = Commitment.objects.select_for_update().get(pk=locked.commitment_id)
        if current.version != locked.base_version:
            raise CommitmentConflict(_stale_proposal_message(current, locked.base_version))
        commitment_update(
            commitment=locked.commitment,
            user=None,
            status=locked.status,
            progress=locked.progress,
            narrative=locked.narrative,
            internal_note=locked.internal_note,
            evidence_document=locked.evidence_document,
            evidence_url=locked.evidence_url,
            evidence_public=locked.evidence_public,
            owner=locked.owner,
            reason=locked.reason,
            expected_version=locked.base_version,
        )
        # The history row names the partner who wrote the update; the audit log the validator.
        record = locked.commitment.history.order_by("-history_date").first()
        if record and record.version > locked.base_version:
            record.history_user = locked.proposed_by
            record.save(update_fields=["history_user"])
        locked.review_status = ProposalStatus.VALIDATED
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["review_status", "reviewed_by", "reviewed_at"])
        log(
            instance=locked.commitment,
            action="engagements.validate",
            user=user,
            data={"proposal": locked.pk, "proposed_by": locked.proposed_by_id},
        )
        transaction.on_commit(lambda: proposal_review_notify(proposal=locked))
    proposal.refresh_from_db()
    return proposal


def commitment_proposal_return(
    *, proposal: CommitmentProposal, user: AbstractBaseUser, comment: str
) -> CommitmentProposal:
    """Send a pending proposal back to its author with a comment; the commitment is unchanged."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Expliquez au partenaire pourquoi vous la renvoyez."})
    with transaction.atomic():
        locked = _check_pending(proposal, user)
        locked.review_status = ProposalStatus.RETURNED
        locked.reviewed_by = user
        locked.reviewed_at = timezone.now()
        locked.review_comment = comment
        locked.save(update_fields=["review_status", "reviewed_by", "reviewed_at", "review_comment"])
        log(
            instance=locked.commitment,
            action="engagements.return",
            user=user,
            data={"proposal": locked.pk, "comment": comment},
        )
        transaction.on_commit(lambda: proposal_review_notify(proposal=locked))
    proposal.refresh_from_db()
    return proposal


def commitment_bulk_update(
    *,
    commitments: Iterable[Commitment],
    user: AbstractBaseUser,
    status: str,
    reason: str,
    expected_versions: Mapping[int, int],
    progress: int | None = None,
    evidence_url: str = "",
) -> int:
    """Give several commitments the same status (and progress) with one reason: all or nothing."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de la mise à jour groupée."})
    count = 0
    with transaction.atomic():
        # Lock every selected row first: the whole bulk starts from the versions the form showed.
        pks = sorted(commitment.pk for commitment in commitments)
        locked = list(Commitment.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
        changed = [c for c in locked if expected_versions.get(c.pk) != c.version]
        if changed:
            names = " ; ".join(f"« {commitment} »" for commitment in changed)
            raise CommitmentConflict(
                f"Mise à jour groupée refusée : {len(changed)} engagement(s) ont été modifiés "
                f"depuis l'affichage du formulaire ({names}). Aucun engagement n'a été modifié : "
                "rechargez la page pour repartir des versions à jour."
            )
        values = {
            current.pk: {
                "status": status,
                "progress": current.progress if progress is None else progress,
                "narrative": current.narrative,
                "evidence_document": current.evidence_document_id,
                "evidence_url": evidence_url or current.evidence_url,
            }
            for current in locked
        }
        # Every rule on every commitment first: the refusal names all the failing ones.
        failures: dict[str, list[str]] = {}
        for current in locked:
            try:
                validate_commitment_change(
                    commitment=current, changes=values[current.pk], reason=reason
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    failures.setdefault(name, []).extend(
                        f"« {current} » : {message}" for message in messages
                    )
        if failures:
            raise ValidationError(failures)
        for current in locked:
            commitment_submit_update(
                commitment=current,
                user=user,
                **{**values[current.pk], "evidence_document": current.evidence_document},
                reason=reason,
                expected_version=expected_versions[current.pk],
            )
            count += 1
    return count


def partner_contributor_create(
    *,
    username: str,
    email: str,
    partner: Partner,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> AbstractBaseUser:
    """Create a user in the "Contributeurs partenaires" group, member of one partner."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"L'identifiant « {username} » est déjà pris."})
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    if password:
        password_validation.validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    PartnerMembership(partner=partner).full_clean(exclude=["user"], validate_unique=False)
    with transaction.atomic():
        user.save()
        user.groups.add(Group.objects.get(name=PARTNER_CONTRIBUTORS))
        PartnerMembership.objects.create(user=user, partner=partner)
        membership_documents_sync(user=user)
    return user


def commitment_comment_add(
    *, commitment: Commitment, user: AbstractBaseUser, text: str
) -> CommitmentComment:
    """Add an internal (never published) comment to a commitment the user may read."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Le commentaire est vide."})
    if not user.has_perm("engagements.add_commitmentcomment") or not (
        visible_commitments(user).filter(pk=commitment.pk).exists()
    ):
        raise PermissionDenied("Vous ne pouvez pas commenter cet engagement.")
    with transaction.atomic():
        comment = CommitmentComment.objects.create(commitment=commitment, author=user, text=text)
        log(
            instance=commitment,
            action="engagements.comment",
            user=user,
            data={"comment": comment.pk},
        )
    return comment


def commitment_co_partners_set(
    *, commitment: Commitment, user: AbstractBaseUser | None, co_partners, reason: str = ""
) -> Commitment:
    """Set the partners sharing a commitment with its porteur (secretariat), with history."""
    if user is not None and not can_manage(user):
        raise PermissionDenied("Seul le secrétariat peut changer les partenaires associés.")
    wanted = {partner.pk: partner for partner in co_partners}
    if commitment.partner_id in wanted:
        raise ValidationError(
            {"co_partners": "Le partenaire porteur ne peut pas être aussi partenaire associé."}
        )
    if any(partner.kind == PartnerKind.COLLECTIVE for partner in wanted.values()):
        raise ValidationError(
            {"co_partners": "« Ensemble des signataires » ne peut être que partenaire porteur."}
        )
    if set(commitment.co_partners.values_list("pk", flat=True)) == set(wanted):
        return commitment
    with transaction.atomic():
        # The history row written by the m2m change carries the reason and the user.
        commitment._change_reason = (reason or "").strip() or DETAILS_REASON
        if user is not None:
            commitment._history_user = user
        commitment.co_partners.set(list(wanted.values()))
        log(instance=commitment, action="wagtail.edit", user=user)
    return commitment
