"""Gives the charter's groups their rights on signatures and versions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RIGHTS = {
    "Secrétariat CCAPEX": {
        ("charter", "signature"): ("add", "change", "delete", "view"),
        ("publishing", "charterversion"): ("add", "change", "view"),
    },
    "Co-pilotes": {
        ("charter", "signature"): ("view",),
        ("publishing", "charterversion"): ("add", "change", "view"),
    },
    "COREP du PDALHPD": {
        ("charter", "signature"): ("view",),
        ("publishing", "charterversion"): ("view",),
    },
}


def grant(apps, schema_editor):
    for label in ("charter", "publishing"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True  # migration app configs are stubs without models
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, models in RIGHTS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for (app_label, model), actions in models.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
        ("charter", "0003_charter_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
