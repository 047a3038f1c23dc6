"""Creates the charter's life-cycle workflow, its named steps and their groups."""

from django.db import migrations

WORKFLOW_NAME = "Cycle de vie de la charte"
# (task name, approving group, life-cycle status reached on approval) — frozen copy of
# charter.choices.CHARTER_WORKFLOW_STEPS at the time of this migration.
STEPS = (
    ("Rédaction avec les partenaires", "Co-pilotes", "ccapex_consultation"),
    ("Avis de la CCAPEX", "Secrétariat CCAPEX", ""),
    (
        "Validation par le comité responsable du PDALHPD (COREP)",
        "COREP du PDALHPD",
        "corep_validated",
    ),
    ("Approbation par les co-pilotes", "Co-pilotes", "approved"),
    ("Publication", "Secrétariat CCAPEX", "published"),
)


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    Task = apps.get_model("charter", "CharterLifecycleTask")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="charter", model="charterlifecycletask"
    )
    charter_type, _ = ContentType.objects.get_or_create(app_label="charter", model="charterpage")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not created:
        return
    for position, (name, group_name, status) in enumerate(STEPS):
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.add(access_admin)
        task = Task.objects.create(
            name=name, active=True, content_type=task_type, status_on_approval=status
        )
        task.groups.add(group)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=position)
    WorkflowContentType.objects.update_or_create(
        content_type=charter_type, defaults={"workflow": workflow}
    )


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("charter", "CharterLifecycleTask")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    Task.objects.filter(name__in=[name for name, _g, _s in STEPS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("charter", "0002_charterpage_governance_charterpage_no_mayor_request_and_more"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
