from django.core.management.base import BaseCommand, CommandError

from charter.models import CharterPage
from demo.loader import load_demo


class Command(BaseCommand):
    help = "Charge la charte de démonstration (Paris 2017) et l'orientation 3 du PDALHPD."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Ne rien faire si la base contient déjà une charte.",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and CharterPage.objects.exists():
            self.stdout.write("La base contient déjà une charte : chargement ignoré.")
            return
        try:
            report = load_demo()
        except ValueError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Charte de démonstration chargée."))
        else:
            self.stdout.write("Rien à changer : la charte de démonstration est déjà à jour.")
