"""One evidence collection and one group per partner; the shared collection becomes the committee's.

- "Espace collaboratif" (committee internal notes): partner contributors lose their add/choose
  rights and their read access there; the committee roles keep theirs.
- Each existing partner gets « Justificatifs — <partenaire> » and « Partenaire n°<id> — <sigle> »
  (rights and view restriction as in engagements/documents.py), with its members in the group.
- Every document used as a commitment's (or proposal's) evidence moves into its partner's
  collection (the first commitment, by id, decides when several partners use the same document).

Idempotent. The reverse operation does nothing (rights are not handed back to every partner).
"""

from django.db import migrations

SECRETARIAT = "Secrétariat CCAPEX"
COPILOTS = "Co-pilotes"
COMMITTEE = "Membres du comité de suivi"
PARTNER_CONTRIBUTORS = "Contributeurs partenaires"
SHARED_COLLECTION = "Espace collaboratif"
COMMITTEE_ROLES = (SECRETARIAT, COPILOTS, COMMITTEE)

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _next_child_path(parent, children) -> str:
    last = children.order_by("-path").values_list("path", flat=True).first()
    number = int(last[-4:], 36) + 1 if last else 1
    step = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return parent.path + step


def create_spaces(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    Partner = apps.get_model("charter", "Partner")
    PartnerMembership = apps.get_model("charter", "PartnerMembership")
    PartnerDocumentSpace = apps.get_model("engagements", "PartnerDocumentSpace")
    Commitment = apps.get_model("engagements", "Commitment")
    CommitmentProposal = apps.get_model("engagements", "CommitmentProposal")
    Document = apps.get_model("wagtaildocs", "Document")

    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    roles = {group.name: group for group in Group.objects.filter(name__in=COMMITTEE_ROLES)}

    def permission(codename):
        return Permission.objects.get(content_type__app_label="wagtaildocs", codename=codename)

    def grant(group, collection, codenames):
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission(codename)
            )

    shared = Collection.objects.filter(depth=2, name=SHARED_COLLECTION).first()
    contributors = Group.objects.filter(name=PARTNER_CONTRIBUTORS).first()
    if shared is not None and contributors is not None:
        GroupCollectionPermission.objects.filter(collection=shared, group=contributors).delete()
        for restriction in CollectionViewRestriction.objects.filter(collection=shared):
            restriction.groups.remove(contributors)

    for partner in Partner.objects.order_by("pk"):
        space = PartnerDocumentSpace.objects.filter(partner=partner).first()
        if space is None:
            children = Collection.objects.filter(depth=2, path__startswith=root.path)
            collection = Collection.objects.create(
                name=f"Justificatifs — {partner.name}"[:255],
                path=_next_child_path(root, children),
                depth=2,
                numchild=0,
            )
            root.numchild = Collection.objects.filter(depth=2).count()
            root.save(update_fields=["numchild"])
            group, _ = Group.objects.get_or_create(
                name=f"Partenaire n°{partner.pk} — {partner.short_name or partner.name}"[:150]
            )
            space = PartnerDocumentSpace.objects.create(
                partner=partner, collection=collection, group=group
            )
        grant(space.group, space.collection, ("add_document", "choose_document"))
        for name in (COPILOTS, COMMITTEE):
            if name in roles:
                grant(roles[name], space.collection, ("choose_document",))
        restriction = CollectionViewRestriction.objects.filter(collection=space.collection).first()
        if restriction is None:
            restriction = CollectionViewRestriction.objects.create(
                collection=space.collection, restriction_type="groups"
            )
        restriction.groups.add(space.group, *roles.values())
        for membership in PartnerMembership.objects.filter(partner=partner):
            membership.user.groups.add(space.group)

    collections = dict(PartnerDocumentSpace.objects.values_list("partner_id", "collection_id"))
    moved = set()
    for model in (Commitment, CommitmentProposal):
        rows = model.objects.filter(evidence_document__isnull=False).order_by("pk")
        partner_field = "partner_id" if model is Commitment else "commitment__partner_id"
        for document_id, partner_id in rows.values_list("evidence_document_id", partner_field):
            if document_id in moved or partner_id not in collections:
                continue
            Document.objects.filter(pk=document_id).update(collection_id=collections[partner_id])
            moved.add(document_id)


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0007_partnerdocumentspace"),
        ("engagements", "0003_roles"),
        ("charter", "0003_charter_workflow"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_spaces, migrations.RunPython.noop)]
