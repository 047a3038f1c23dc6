"""CommitteeMeeting, Indicator and IndicatorValue move from engagements to monitoring.

State only: the tables keep their names (`db_table`) and their rows; the foreign keys of
IndicatorTarget, MeetingRecord and Decision are re-pointed in the state; the content types are
renamed so that the groups' permissions, the audit log and the revisions follow the models.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

MOVED = ("committeemeeting", "indicator", "indicatorvalue")


def _rename_content_types(source: str, target: str):
    def rename(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        db = schema_editor.connection.alias
        for model in MOVED:
            old = ContentType.objects.using(db).filter(app_label=source, model=model).first()
            if old is None:
                continue
            new = ContentType.objects.using(db).filter(app_label=target, model=model).first()
            if new is None:
                old.app_label = target
                old.save(update_fields=["app_label"])
                continue
            # Both exist (`migrate` back then forward recreates the missing content type): the
            # old one's permissions, with their groups and users, move onto the new one.
            for permission in Permission.objects.using(db).filter(content_type=old):
                twin = Permission.objects.using(db).filter(
                    content_type=new, codename=permission.codename
                ).first()
                if twin is None:
                    permission.content_type = new
                    permission.save(update_fields=["content_type"])
                    continue
                twin.group_set.add(*permission.group_set.all())
                twin.user_set.add(*permission.user_set.all())
                permission.delete()

    return rename


class Migration(migrations.Migration):

    dependencies = [
        ('charter', '0005_one_signature_record'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('engagements', '0010_markdown_help'),
        ('monitoring', '0004_review_permissions'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='CommitteeMeeting',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('date', models.DateField(verbose_name='date')),
                    ('title', models.CharField(default='Comité de suivi', max_length=255, verbose_name='intitulé')),
                ],
                options={
                    'verbose_name': 'réunion du comité de suivi',
                    'verbose_name_plural': 'réunions du comité de suivi',
                    'db_table': 'engagements_committeemeeting',
                    'ordering': ['-date'],
                },
            ),
            migrations.AlterField(
                model_name='decision',
                name='meeting',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='monitoring.committeemeeting', verbose_name='réunion'),
            ),
            migrations.AlterField(
                model_name='meetingrecord',
                name='meeting',
                field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='record', to='monitoring.committeemeeting', verbose_name='réunion'),
            ),
            migrations.CreateModel(
                name='Indicator',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=255, unique=True, verbose_name='nom')),
                    ('definition', models.TextField(blank=True, verbose_name='définition')),
                    ('unit', models.CharField(blank=True, help_text='Par exemple : ménages.', max_length=60, verbose_name='unité')),
                    ('kind', models.CharField(choices=[('quantitative', 'Quantitatif'), ('qualitative', 'Qualitatif')], default='quantitative', max_length=16, verbose_name='nature')),
                    ('actions', models.ManyToManyField(blank=True, related_name='indicators', to='charter.actionpage', verbose_name='actions liées')),
                    ('source_partner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='indicators', to='charter.partner', verbose_name='organisme source')),
                ],
                options={
                    'verbose_name': 'indicateur',
                    'verbose_name_plural': 'indicateurs',
                    'db_table': 'engagements_indicator',
                    'ordering': ['name'],
                },
            ),
            migrations.AlterField(
                model_name='indicatortarget',
                name='indicator',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='targets', to='monitoring.indicator', verbose_name='indicateur'),
            ),
            migrations.CreateModel(
                name='IndicatorValue',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1990), django.core.validators.MaxValueValidator(2100)], verbose_name='année')),
                    ('value', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='valeur')),
                    ('narrative', models.TextField(blank=True, verbose_name='commentaire qualitatif')),
                    ('source', models.CharField(blank=True, max_length=255, verbose_name='source')),
                    ('recorded_on', models.DateField(blank=True, null=True, verbose_name='date de la donnée')),
                    ('indicator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='values', to='monitoring.indicator', verbose_name='indicateur')),
                ],
                options={
                    'verbose_name': "valeur d'indicateur",
                    'verbose_name_plural': "valeurs d'indicateurs",
                    'db_table': 'engagements_indicatorvalue',
                    'ordering': ['indicator', 'year'],
                    'constraints': [models.UniqueConstraint(fields=('indicator', 'year'), name='unique_indicator_value_per_year', violation_error_message='Une valeur existe déjà pour cet indicateur et cette année.')],
                },
            ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            _rename_content_types("engagements", "monitoring"),
            _rename_content_types("monitoring", "engagements"),
        ),
    ]
