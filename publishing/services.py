"""Domain verbs of the publishing app: freezing a named version of a charter."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.log_actions import log

from charter.models import CharterPage

from .models import CharterVersion
from .snapshot import build_snapshot, fingerprint


def version_create(
    *,
    charter: CharterPage,
    name: str,
    effective_date: datetime.date,
    user: AbstractBaseUser | None,
    is_public: bool = False,
) -> CharterVersion:
    """Freeze the charter as a named, dated version (public: its published content only)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Donnez un nom à la version, par exemple « Charte 2017 »."})
    if effective_date is None:
        raise ValidationError({"effective_date": "Indiquez la date d'entrée en vigueur."})
    with transaction.atomic():
        if CharterVersion.objects.filter(charter=charter, name=name).exists():
            raise ValidationError({"name": "Une version de cette charte porte déjà ce nom."})
        snapshot = build_snapshot(
            charter=charter, name=name, date=effective_date, published_only=is_public
        )
        version = CharterVersion(
            charter=charter,
            name=name,
            effective_date=effective_date,
            is_public=is_public,
            snapshot=snapshot,
            fingerprint=fingerprint(snapshot),
            created_by=user if user is not None and user.is_authenticated else None,
        )
        version.full_clean()
        version.save()
        log(
            instance=charter,
            action="publishing.version_create",
            user=user,
            data={"version": name, "fingerprint": version.fingerprint},
        )
    return version
