"""Roles of the partner workspace as Django groups, with their Django and Wagtail permissions.

Also creates the "Espace collaboratif" document collection, readable only by these groups.
Idempotent: running it again adds what is missing and removes nothing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT = "Secrétariat CCAPEX"
COPILOTS = "Co-pilotes"
COMMITTEE = "Membres du comité de suivi"
PARTNER_CONTRIBUTORS = "Contributeurs partenaires"
SHARED_COLLECTION = "Espace collaboratif"

CRUD = ("add", "change", "delete", "view")

# Model permissions: (app_label, codename).
MODEL_PERMISSIONS = {
    SECRETARIAT: [
        ("wagtailadmin", "access_admin"),
        *[("engagements", f"{a}_commitment") for a in CRUD],
        ("engagements", "view_all_commitments"),
        ("engagements", "manage_commitment"),
        ("engagements", "validate_commitment"),
        *[("engagements", f"{a}_commitmentproposal") for a in ("view", "change")],
        *[("engagements", f"{a}_indicator") for a in CRUD],
        *[("engagements", f"{a}_indicatorvalue") for a in CRUD],
        *[("engagements", f"{a}_committeemeeting") for a in CRUD],
        ("engagements", "change_workspacesettings"),
        *[("charter", f"{a}_partner") for a in CRUD],
        *[("charter", f"{a}_partnermembership") for a in CRUD],
        *[("glossary", f"{a}_lexiconentry") for a in CRUD],
        *[("auth", f"{a}_user") for a in ("add", "change", "view")],
        ("auth", "view_group"),
    ],
    COPILOTS: [
        ("wagtailadmin", "access_admin"),
        ("engagements", "view_commitment"),
        ("engagements", "view_all_commitments"),
        ("engagements", "validate_commitment"),
        ("engagements", "view_commitmentproposal"),
        ("engagements", "view_indicator"),
        ("engagements", "view_committeemeeting"),
        ("charter", "view_partner"),
    ],
    COMMITTEE: [
        ("wagtailadmin", "access_admin"),
        ("engagements", "view_commitment"),
        ("engagements", "view_all_commitments"),
        ("engagements", "view_commitmentproposal"),
        ("engagements", "view_indicator"),
        ("engagements", "view_committeemeeting"),
        ("charter", "view_partner"),
    ],
    PARTNER_CONTRIBUTORS: [
        ("wagtailadmin", "access_admin"),
        ("engagements", "view_commitment"),
        ("engagements", "change_commitment"),
    ],
}

# Page permissions on the root page (the whole tree).
PAGE_PERMISSIONS = {
    SECRETARIAT: (
        "add_page",
        "change_page",
        "publish_page",
        "bulk_delete_page",
        "lock_page",
        "unlock_page",
    ),
    COPILOTS: ("change_page", "publish_page", "lock_page"),
}

# Document permissions: on the root collection (everything) or on the shared collection.
ROOT_DOCUMENT_PERMISSIONS = {
    SECRETARIAT: ("add_document", "change_document", "delete_document", "choose_document"),
}
SHARED_DOCUMENT_PERMISSIONS = {
    COPILOTS: ("add_document", "choose_document"),
    COMMITTEE: ("add_document", "choose_document"),
    PARTNER_CONTRIBUTORS: ("add_document", "choose_document"),
}

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _next_child_path(parent, children) -> str:
    last = children.order_by("-path").values_list("path", flat=True).first()
    number = int(last[-4:], 36) + 1 if last else 1
    step = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return parent.path + step


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in MODEL_PERMISSIONS}
    for name, codes in MODEL_PERMISSIONS.items():
        groups[name].permissions.add(*[permission(app, code) for app, code in codes])

    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for name, codes in PAGE_PERMISSIONS.items():
            for code in codes:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name], page=root_page, permission=permission("wagtailcore", code)
                )

    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    shared = Collection.objects.filter(depth=2, name=SHARED_COLLECTION).first()
    if shared is None:
        children = Collection.objects.filter(depth=2, path__startswith=root.path)
        shared = Collection.objects.create(
            name=SHARED_COLLECTION, path=_next_child_path(root, children), depth=2, numchild=0
        )
        root.numchild = children.count()
        root.save(update_fields=["numchild"])
    for collection, grants in ((root, ROOT_DOCUMENT_PERMISSIONS), (shared, SHARED_DOCUMENT_PERMISSIONS)):
        for name, codes in grants.items():
            for code in codes:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name],
                    collection=collection,
                    permission=permission("wagtaildocs", code),
                )
    restriction = CollectionViewRestriction.objects.filter(collection=shared).first()
    if restriction is None:
        restriction = CollectionViewRestriction.objects.create(
            collection=shared, restriction_type="groups"
        )
    restriction.groups.add(*groups.values())


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0002_committeemeeting_workspacesettings_and_more"),
        ("charter", "0001_initial"),
        ("glossary", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
