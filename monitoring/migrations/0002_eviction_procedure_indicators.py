"""Preload the eviction-procedure series into the indicator library (idempotent)."""

from django.db import migrations

SERIES = [
    ("Nombre d'assignations aux fins de résiliation du bail", "assignations",
     "Assignations délivrées dans l'année pour obtenir la résiliation du bail et l'expulsion."),
    ("Nombre de décisions de justice ordonnant l'expulsion", "décisions",
     "Jugements prononçant ou constatant la résiliation du bail et ordonnant l'expulsion."),
    ("Nombre de commandements de quitter les lieux", "commandements",
     "Commandements de quitter les lieux (CQL) signifiés par les commissaires de justice."),
    ("Nombre de demandes de concours de la force publique", "demandes",
     "Réquisitions de la force publique (CFP) adressées à la préfecture."),
    ("Nombre de concours de la force publique accordés", "décisions",
     "Décisions d'octroi du concours de la force publique."),
    ("Nombre d'expulsions effectives avec le concours de la force publique", "expulsions",
     "Interventions effectives de la force publique."),
    ("Nombre de commandements de payer reçus par la CCAPEX", "commandements",
     "Commandements de payer signalés à la CCAPEX par les commissaires de justice."),
    ("Nombre de dossiers examinés par la CCAPEX", "dossiers",
     "Situations examinées en commission (CCAPEX plénière ou locale)."),
]


def preload(apps, schema_editor):
    Indicator = apps.get_model("engagements", "Indicator")
    for name, unit, definition in SERIES:
        Indicator.objects.get_or_create(
            name=name,
            defaults={"unit": unit, "definition": definition, "kind": "quantitative"},
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(preload, migrations.RunPython.noop)]
