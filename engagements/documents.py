"""Who may list, choose, edit and download which document: the rules, and the verbs that keep them.

Wagtail's own document views (listing, chooser, edit, usage, `/documents/<id>/<file>`) read
collection permissions (`GroupCollectionPermission`) and view restrictions
(`CollectionViewRestriction`); these verbs keep both in step with the partners and their members,
so that no Wagtail view needs overriding:

- one collection per partner, « Justificatifs — <partenaire> », with one group holding the
  partner's members (`PartnerDocumentSpace`): the group adds and chooses documents there, the
  co-pilots and committee members choose there, and only the group and the committee roles
  (secretariat, co-pilots, committee) may download them;
- one public collection per partner, « Justificatifs publiés — <partenaire> », without view
  restriction: the same group adds and chooses documents there, and a document there is shown on
  the public site when a commitment « Réalisé » publishes its evidence (`evidence_public`); a
  document in the private collection is never shown, whatever the flag;
- the committee collection (`SHARED_COLLECTION`, « Espace collaboratif »): co-pilots and
  committee members add and choose there; only the committee roles may download;
- the root collection: the secretariat has every permission on every collection.

A commitment's evidence document must sit in one of its partner's two collections
(`check_evidence_document`, called by the commitment services); a published evidence document
must sit in the public one (`check_public_evidence`).
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, GroupCollectionPermission

from charter.models import Partner, PartnerMembership
from charter.roles import COMMITTEE, COPILOTS, SECRETARIAT

from .models import PartnerDocumentSpace
from .permissions import SHARED_COLLECTION

COMMITTEE_ROLES = (SECRETARIAT, COPILOTS, COMMITTEE)
# Wagtail document permissions (codenames of the wagtaildocs app) on a partner's collection.
PARTNER_GROUP_PERMISSIONS = ("add_document", "choose_document")
COMMITTEE_EVIDENCE_PERMISSIONS = {COPILOTS: ("choose_document",), COMMITTEE: ("choose_document",)}
ARCHIVED_SUFFIX = " (partenaire supprimé)"


def partner_group_name(partner: Partner) -> str:
    """The name of a partner's group (the primary key keeps it unique whatever the renames)."""
    return f"Partenaire n°{partner.pk} — {partner.short_name or partner.name}"[:150]


def partner_collection_name(partner: Partner) -> str:
    """The name of a partner's evidence collection, as shown in the admin."""
    return f"Justificatifs — {partner.name}"[:255]


def partner_public_collection_name(partner: Partner) -> str:
    """The name of a partner's public evidence collection, as shown in the admin."""
    return f"Justificatifs publiés — {partner.name}"[:255]


def committee_collection() -> Collection | None:
    """The committee's collection (internal notes, meeting papers)."""
    return Collection.objects.filter(depth=2, name=SHARED_COLLECTION).first()


def partner_collection_id(partner_id: int | None) -> int | None:
    """The id of a partner's evidence collection, if it has one yet."""
    if partner_id is None:
        return None
    return (
        PartnerDocumentSpace.objects.filter(partner_id=partner_id)
        .values_list("collection_id", flat=True)
        .first()
    )


def partner_collection_ids(partner_id: int | None) -> tuple[int, ...]:
    """The ids of a partner's evidence collections: the private one, then the public one."""
    if partner_id is None:
        return ()
    row = (
        PartnerDocumentSpace.objects.filter(partner_id=partner_id)
        .values_list("collection_id", "public_collection_id")
        .first()
    )
    return tuple(pk for pk in row or () if pk is not None)


def partner_public_collection_id(partner_id: int | None) -> int | None:
    """The id of a partner's public evidence collection, if it has one yet."""
    if partner_id is None:
        return None
    return (
        PartnerDocumentSpace.objects.filter(partner_id=partner_id)
        .values_list("public_collection_id", flat=True)
        .first()
    )


def _document(document: Any):
    if document is not None and not hasattr(document, "collection_id"):  # a primary key
        document = get_document_model().objects.filter(pk=document).first()
    return document


def check_public_evidence(*, document: Any, url: str, partner_id: int | None) -> None:
    """Refuse (French message) to publish evidence that is missing or in a private collection."""
    document = _document(document)
    if document is not None:
        if document.collection_id != partner_public_collection_id(partner_id):
            raise ValidationError(
                {
                    "evidence_public": "Ce document est dans les justificatifs privés de votre "
                    "organisation : pour le publier, déposez-le dans sa collection « Justificatifs "
                    "publiés » et choisissez-le, ou décochez « Publier le justificatif »."
                }
            )
        return
    if not url:
        raise ValidationError(
            {
                "evidence_public": "Rien à publier : indiquez un lien ou un document de la "
                "collection « Justificatifs publiés », ou décochez « Publier le justificatif »."
            }
        )


def check_evidence_document(*, document: Any, partner_id: int | None) -> None:
    """Refuse (French message) an evidence document outside the partner's collections."""
    if document is None:
        return
    document = _document(document)
    collection_id = getattr(document, "collection_id", None)
    allowed = partner_collection_ids(partner_id)
    expected = allowed[0] if allowed else None
    if expected is None:
        raise ValidationError(
            {
                "evidence_document": "Ce partenaire n'a pas encore de collection « Justificatifs » "
                ": le secrétariat la crée en enregistrant la fiche du partenaire (menu "
                "« Partenaires ») ; déposez-y ensuite le document."
            }
        )
    if collection_id not in allowed:
        raise ValidationError(
            {
                "evidence_document": "Ce document n'appartient pas aux justificatifs du "
                "partenaire de cet engagement : choisissez un document déposé dans la collection "
                "« Justificatifs » de ce partenaire, ou déposez-y le vôtre."
            }
        )


def _grant(group: Group, collection: Collection, codenames) -> None:
    for codename in codenames:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=Permission.objects.get(
                content_type__app_label="wagtaildocs", codename=codename
            ),
        )


def partner_documents_sync(*, partner: Partner) -> PartnerDocumentSpace:
    """Create or update a partner's evidence collection and group, their rights and members."""
    with transaction.atomic():
        space = (
            PartnerDocumentSpace.objects.select_for_update(of=("self",))
            .select_related("collection", "group")
            .filter(partner=partner)
            .first()
        )
        if space is None:
            root = Collection.get_first_root_node()
            collection = root.add_child(instance=Collection(name=partner_collection_name(partner)))
            group = Group.objects.create(name=partner_group_name(partner))
            space = PartnerDocumentSpace.objects.create(
                partner=partner, collection=collection, group=group
            )
        if space.group is None:
            space.group = Group.objects.create(name=partner_group_name(partner))
            space.save(update_fields=["group"])
        if space.public_collection is None:
            root = Collection.get_first_root_node()
            space.public_collection = root.add_child(
                instance=Collection(name=partner_public_collection_name(partner))
            )
            space.save(update_fields=["public_collection"])
        if space.public_collection.name != partner_public_collection_name(partner):
            space.public_collection.name = partner_public_collection_name(partner)
            space.public_collection.save(update_fields=["name"])
        if space.collection.name != partner_collection_name(partner):
            space.collection.name = partner_collection_name(partner)
            space.collection.save(update_fields=["name"])
        if space.group.name != partner_group_name(partner):
            space.group.name = partner_group_name(partner)
            space.group.save(update_fields=["name"])
        roles = {group.name: group for group in Group.objects.filter(name__in=COMMITTEE_ROLES)}
        for collection in (space.collection, space.public_collection):
            _grant(space.group, collection, PARTNER_GROUP_PERMISSIONS)
            for name, codenames in COMMITTEE_EVIDENCE_PERMISSIONS.items():
                if name in roles:
                    _grant(roles[name], collection, codenames)
        restriction = CollectionViewRestriction.objects.filter(
            collection=space.collection
        ).first() or CollectionViewRestriction.objects.create(
            collection=space.collection, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.add(space.group, *roles.values())
        _set_members(space)
    return space


def _set_members(space: PartnerDocumentSpace) -> None:
    users = PartnerMembership.objects.filter(partner_id=space.partner_id).values("user_id")
    space.group.user_set.set(space.group.user_set.model.objects.filter(pk__in=users))


def partner_members_sync() -> None:
    """Make every partner group hold exactly its partner's members (after memberships change)."""
    with transaction.atomic():
        for partner in Partner.objects.filter(
            memberships__isnull=False, document_space__isnull=True
        ).distinct():
            partner_documents_sync(partner=partner)
        for space in PartnerDocumentSpace.objects.filter(
            partner__isnull=False, group__isnull=False
        ).select_related("group"):
            _set_members(space)


def membership_documents_sync(*, user: AbstractBaseUser) -> None:
    """Put a user in its partner's group only (after a membership is created, changed, deleted)."""
    with transaction.atomic():
        membership = PartnerMembership.objects.filter(user=user).select_related("partner").first()
        keep = partner_documents_sync(partner=membership.partner).group if membership else None
        partner_groups = Group.objects.filter(partner_space__isnull=False)
        if keep is not None:
            partner_groups = partner_groups.exclude(pk=keep.pk)
            user.groups.add(keep)
        user.groups.remove(*partner_groups)


def partner_documents_retire() -> int:
    """After partners are deleted: drop their groups, keep their collections as archives."""
    count = 0
    with transaction.atomic():
        for space in PartnerDocumentSpace.objects.filter(partner__isnull=True).select_related(
            "collection", "group", "public_collection"
        ):
            public = space.public_collection
            if public is not None and not public.name.endswith(ARCHIVED_SUFFIX):
                public.name = public.name[: 255 - len(ARCHIVED_SUFFIX)] + ARCHIVED_SUFFIX
                public.save(update_fields=["name"])
            if space.group is not None:
                space.group.delete()  # its members, rights and view restriction entry go with it
            if not space.collection.name.endswith(ARCHIVED_SUFFIX):
                space.collection.name = (
                    space.collection.name[: 255 - len(ARCHIVED_SUFFIX)] + ARCHIVED_SUFFIX
                )
                space.collection.save(update_fields=["name"])
            count += 1
    return count
