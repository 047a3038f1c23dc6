"""Dashboard and review permissions, granted to the roles by group name (idempotent)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Secrétariat CCAPEX": ["view_dashboards", "manage_review"],
    "Co-pilotes": ["view_dashboards"],
    "Membres du comité de suivi": ["view_dashboards"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("monitoring")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="monitoring", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_role_permissions")]

    operations = [
        migrations.AlterModelOptions(
            name="reviewcampaign",
            options={
                "ordering": ["-year"],
                "permissions": [
                    ("view_dashboards", "Peut consulter les tableaux de bord du suivi"),
                    ("manage_review", "Peut conduire la campagne de bilan annuel et le comité"),
                ],
                "verbose_name": "campagne de bilan annuel",
                "verbose_name_plural": "campagnes de bilan annuel",
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
