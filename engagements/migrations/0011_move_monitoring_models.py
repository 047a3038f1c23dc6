"""CommitteeMeeting, Indicator and IndicatorValue now belong to monitoring (state only).

monitoring 0005 re-creates them in its state on the same tables; here they leave engagements'
state. No table is dropped, no row is touched.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0010_markdown_help"),
        ("monitoring", "0005_move_monitoring_models"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CommitteeMeeting"),
                migrations.RemoveField(model_name="indicatorvalue", name="indicator"),
                migrations.DeleteModel(name="Indicator"),
                migrations.DeleteModel(name="IndicatorValue"),
            ],
            database_operations=[],
        ),
    ]
