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
        parser.add_argument(
            "--allow-unsigned",
            action="store_true",
            help=(
                "Accepter une sauvegarde sans signature (écrite par une version antérieure). "
                "À n'utiliser que pour une sauvegarde dont vous êtes certain de la provenance : "
                "les noms de fichiers, les sommes SHA-256 et les nombres d'enregistrements "
                "restent vérifiés."
            ),
        )

    def handle(self, *args, file, force, allow_unsigned, **options):
        try:
            summary = restore_backup(Path(file), force=force, allow_unsigned=allow_unsigned)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            self.stdout.write(
                f"Sauvegarde restaurée : {summary.rows} enregistrements, "
                f"{summary.media_files} fichiers de médias."
            )
