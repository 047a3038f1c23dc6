"""Committee members, co-pilots and the secretariat may write internal comments on commitments."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Secrétariat CCAPEX": ("add_commitmentcomment", "view_commitmentcomment", "delete_commitmentcomment"),
    "Co-pilotes": ("add_commitmentcomment", "view_commitmentcomment"),
    "Membres du comité de suivi": ("add_commitmentcomment", "view_commitmentcomment"),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("engagements")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="engagements", codename__in=codes)
        )


class Migration(migrations.Migration):
    dependencies = [("engagements", "0004_commitmentcomment")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
