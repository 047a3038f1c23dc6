"""Give the partner-workspace roles their permissions on the monitoring models (idempotent)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("add", "change", "delete", "view")
PERMISSIONS = {
    "Secrétariat CCAPEX": [
        *[f"{action}_{model}" for model in ("indicatortarget", "meetingrecord", "decision")
          for action in CRUD],
        "view_reviewcampaign",
        "view_reminderlog",
    ],
    "Co-pilotes": ["view_indicatortarget", "view_meetingrecord", "view_decision",
                   "view_reviewcampaign"],
    "Membres du comité de suivi": ["view_indicatortarget", "view_meetingrecord",
                                   "view_decision", "view_reviewcampaign"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("monitoring")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="monitoring", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_eviction_procedure_indicators"), ("engagements", "0003_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
