from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.archive import BackupError, create_backup


class Command(BaseCommand):
    help = "Sauvegarde toute la base de données et les médias dans un fichier zip."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Fichier zip à écrire.")

    def handle(self, *args, output, **options):
        try:
            summary = create_backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            self.stdout.write(
                f"Sauvegarde écrite : {summary.path} ({summary.rows} enregistrements de "
                f"{summary.models} modèles, {summary.media_files} fichiers de médias)."
            )
