"""The secretariat keeps the contacts directory: it adds, changes and removes contacts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT = "Secrétariat CCAPEX"
CODENAMES = ("add_contact", "change_contact", "delete_contact", "view_contact")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("assistance")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=SECRETARIAT)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="assistance", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=SECRETARIAT):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="assistance", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0002_help_pages_from_procedure_stages"),
        ("engagements", "0003_roles"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
