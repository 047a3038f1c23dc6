"""Where signed copies of a charter are filed: the « Exemplaires signés » collection.

Decision (issue 14): one collection, child of the root, created on demand by
`signed_copies_collection_ensure` (the first time the secretariat opens the signatures screen or
its chooser), so that a restored backup or a fresh demo needs no migration step. Only the
secretariat adds, changes and chooses documents there (its rights on the root collection, which
every collection inherits); no partner group holds a right on it, so a partner's evidence never
sits there and the signatures' chooser (charter/views/chooser.py) lists this collection only.
Downloads are restricted to the committee roles (a view restriction), as for private evidence.
A signature's scan must come from this collection (`check_signed_copy`, called by
`signature_record` when the scan changes).
"""

from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import Collection, CollectionViewRestriction

from .roles import COMMITTEE, COPILOTS, SECRETARIAT

SIGNED_COPIES_COLLECTION = "Exemplaires signés"
SIGNED_COPIES_READERS = (SECRETARIAT, COPILOTS, COMMITTEE)


def signed_copies_collection() -> Collection | None:
    """The collection of signed copies, if it exists yet."""
    return Collection.objects.filter(depth=2, name=SIGNED_COPIES_COLLECTION).first()


def signed_copies_collection_ensure() -> Collection:
    """Create the collection of signed copies and its download restriction if they are missing."""
    collection = signed_copies_collection()
    if collection is not None:
        return collection
    with transaction.atomic():
        root = Collection.get_first_root_node()
        collection = root.add_child(instance=Collection(name=SIGNED_COPIES_COLLECTION))
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.add(*Group.objects.filter(name__in=SIGNED_COPIES_READERS))
    return collection


def check_signed_copy(*, document: Any) -> None:
    """Refuse (French message) a signed scan filed outside the « Exemplaires signés » collection."""
    if document is None:
        return
    collection = signed_copies_collection()
    if collection is None or document.collection_id != collection.pk:
        raise ValidationError(
            {
                "signed_scan": "L'exemplaire signé doit être déposé dans la collection "
                f"« {SIGNED_COPIES_COLLECTION} » : choisissez-le ou téléversez-le avec le bouton "
                "« Choisir ou téléverser l'exemplaire signé »."
            }
        )
