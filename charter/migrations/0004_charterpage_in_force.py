"""A charter's text in force is told apart from the step of an amendment in progress.

Existing charters: in force when published, or when their audit log shows they were published
before an amendment sent them back through the workflow (and they are not superseded).
"""

from django.db import migrations, models


def mark_charters_in_force(apps, schema_editor):
    CharterPage = apps.get_model("charter", "CharterPage")
    PageLogEntry = apps.get_model("wagtailcore", "PageLogEntry")
    published_before = {
        entry.page_id
        for entry in PageLogEntry.objects.filter(action="charter.lifecycle").only("page_id", "data")
        if (entry.data or {}).get("to") == "published"
    }
    for charter in CharterPage.objects.exclude(lifecycle_status="superseded"):
        if charter.lifecycle_status == "published" or charter.pk in published_before:
            CharterPage.objects.filter(pk=charter.pk).update(in_force=True)


class Migration(migrations.Migration):
    dependencies = [
        ("charter", "0003_charter_workflow"),
    ]

    operations = [
        migrations.AddField(
            model_name="charterpage",
            name="in_force",
            field=models.BooleanField(default=False, editable=False, verbose_name="en vigueur"),
        ),
        migrations.RunPython(mark_charters_in_force, migrations.RunPython.noop),
    ]
