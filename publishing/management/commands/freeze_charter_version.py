"""Freezes the current content of a charter as a named, dated version."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from charter.models import CharterPage
from publishing.models import CharterVersion
from publishing.services import version_create


class Command(BaseCommand):
    help = "Fige le contenu actuel d'une charte en version nommée et datée."

    def add_arguments(self, parser):
        parser.add_argument("--charter", required=True, help="Identifiant d'URL de la charte.")
        parser.add_argument("--name", required=True, help="Nom, par exemple « Charte 2017 ».")
        parser.add_argument("--date", required=True, help="Entrée en vigueur (AAAA-MM-JJ).")
        parser.add_argument("--public", action="store_true", help="Visible sur le site public.")
        parser.add_argument(
            "--if-missing", action="store_true", help="Ne rien faire si la version existe déjà."
        )

    def handle(self, *args, charter, name, date, public, if_missing, **options):
        page = CharterPage.objects.filter(slug=charter).first()
        if page is None:
            raise CommandError(f"Aucune charte avec l'identifiant « {charter} ».")
        try:
            effective_date = datetime.date.fromisoformat(date)
        except ValueError as error:
            raise CommandError(f"Date invalide « {date} » : attendu AAAA-MM-JJ.") from error
        if if_missing and CharterVersion.objects.filter(charter=page, name=name).exists():
            self.stdout.write(f"La version « {name} » existe déjà : rien à faire.")
            return
        try:
            version = version_create(
                charter=page, name=name, effective_date=effective_date, user=None, is_public=public
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Version « {version.name} » figée : SHA-256 {version.fingerprint}")
