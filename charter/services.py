"""Domain verbs of the charter app: life-cycle moves and signatures."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.documents.models import Document
from wagtail.log_actions import log

from .choices import CHARTER_STATUS_TRANSITIONS, CharterStatus, SignatureStatus
from .documents import check_signed_copy
from .models.pages import CharterPage
from .models.partners import Partner
from .models.signatures import Signature
from .selectors import all_signed, latest_content, legal_checklist


def lifecycle_blockers(*, charter: CharterPage, status: str) -> list[str]:
    """Why the charter cannot move to `status` now, in French (empty list: it can)."""
    current = CharterStatus(charter.lifecycle_status)
    target = CharterStatus(status)
    if target == CharterStatus.PUBLISHED and current == CharterStatus.APPROVED:
        return ["Toutes les signatures doivent être enregistrées avant la publication."]
    if target not in CHARTER_STATUS_TRANSITIONS[current]:
        return [f"Une charte « {current.label} » ne peut pas passer à « {target.label} »."]
    if target == CharterStatus.APPROVED:
        missing = [
            item.label
            for item in legal_checklist(charter=latest_content(charter=charter))
            if not item.ok
        ]
        if missing:
            return [
                "La charte ne peut pas être déclarée prête pour signature : il manque "
                + " ; ".join(missing)
                + "."
            ]
    if target == CharterStatus.SIGNED and not all_signed(charter=charter):
        return ["Tous les signataires n'ont pas encore signé."]
    return []


def charter_change_lifecycle_status(
    *, charter: CharterPage, user: AbstractBaseUser | None, status: str, reason: str
) -> CharterPage:
    """Move the charter to an allowed life-cycle step, logging who, when and why."""
    if status not in CharterStatus.values:
        raise ValidationError({"lifecycle_status": f"Étape inconnue : « {status} »."})
    with transaction.atomic():
        locked = CharterPage.objects.select_for_update().get(pk=charter.pk)
        blockers = lifecycle_blockers(charter=locked, status=status)
        if blockers:
            raise ValidationError({"lifecycle_status": blockers})
        previous = locked.lifecycle_status
        in_force = {
            CharterStatus.PUBLISHED: True,
            CharterStatus.SUPERSEDED: False,
        }.get(CharterStatus(status), locked.in_force)
        CharterPage.objects.filter(pk=charter.pk).update(lifecycle_status=status, in_force=in_force)
        log(
            instance=locked,
            action="charter.lifecycle",
            user=user,
            data={"from": previous, "to": status, "reason": reason},
        )
    charter.lifecycle_status = status
    charter.in_force = in_force
    return charter


def charter_reopen_drafting(*, charter: CharterPage, user: AbstractBaseUser | None) -> CharterPage:
    """Bring the charter back to drafting when its workflow (re)starts (e.g. an amendment)."""
    charter.refresh_from_db(fields=["lifecycle_status"])
    if charter.lifecycle_status == CharterStatus.DRAFT:
        return charter
    if CharterStatus.DRAFT not in CHARTER_STATUS_TRANSITIONS[charter.lifecycle_status]:
        raise ValidationError(
            "Une charte signée doit d'abord être publiée avant d'être révisée par avenant."
        )
    return charter_change_lifecycle_status(
        charter=charter,
        user=user,
        status=CharterStatus.DRAFT,
        reason="Nouveau passage dans le workflow : retour à la rédaction.",
    )


def signature_record(
    *,
    charter: CharterPage,
    partner: Partner,
    user: AbstractBaseUser | None,
    status: str,
    signer_name: str = "",
    signer_title: str = "",
    signed_on: datetime.date | None = None,
    signed_scan: Document | None = None,
    signer_known: bool = True,
) -> Signature:
    """Record a signatory's signature (or reset it to pending); the last one signs the charter.

    A signature recorded now names its signer; `signer_known=False` records a past signature
    whose document does not name the person (a charter signed before the platform).
    """
    signatory_ids = {s.partner_id for s in latest_content(charter=charter).signatories.all()}
    if partner.pk not in signatory_ids:
        raise ValidationError({"partner": "Ce partenaire ne figure pas parmi les signataires."})
    errors: dict[str, list[str]] = {}
    if status == SignatureStatus.SIGNED and signer_known:
        if not signer_name.strip():
            errors["signer_name"] = ["Indiquez le nom de la personne qui a signé."]
        if not signer_title.strip():
            errors["signer_title"] = ["Indiquez la qualité de la personne qui a signé."]
    with transaction.atomic():
        signature = Signature.objects.select_for_update().filter(
            charter=charter, partner=partner
        ).first() or Signature(charter=charter, partner=partner)
        if signed_scan is not None and signed_scan.pk != signature.signed_scan_id:
            try:
                check_signed_copy(document=signed_scan)
            except ValidationError as error:
                errors.update(error.message_dict)
        signature.status = status
        signature.signer_name = signer_name.strip()
        signature.signer_title = signer_title.strip()
        signature.signed_on = signed_on
        signature.signed_scan = signed_scan
        signature.recorded_by = user if user and user.is_authenticated else None
        try:
            signature.full_clean()
        except ValidationError as error:
            errors = {**error.message_dict, **errors}  # the service's own wording wins
        if errors:
            raise ValidationError(errors)
        signature.save()
        log(
            instance=charter,
            action="charter.signature",
            user=user,
            data={"partner": partner.name, "status": status},
        )
        charter.refresh_from_db(fields=["lifecycle_status"])
        if (
            status == SignatureStatus.SIGNED
            and charter.lifecycle_status == CharterStatus.APPROVED
            and all_signed(charter=charter)
        ):
            charter_change_lifecycle_status(
                charter=charter,
                user=user,
                status=CharterStatus.SIGNED,
                reason="Toutes les signatures ont été recueillies.",
            )
    return signature
