from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde (zip de « backup ») dans une base vide et migrée, en une seule "
        "transaction, puis reconstruit l'index de recherche."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier zip écrit par « manage.py backup ».")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Remplacer le contenu d'une base qui n'est pas vide.",
        )

    def handle(self, *args, file, force, **options):
        try:
            summary = restore_backup(Path(file), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            self.stdout.write(
                f"Sauvegarde restaurée : {summary.rows} enregistrements, "
                f"{summary.media_files} fichiers de médias."
            )
