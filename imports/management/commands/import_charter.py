"""manage.py import_charter FILE: read a charter document, show what was found, save a draft."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from imports.parsing import DocumentError, charter_document
from imports.reading import MAX_IMPORT_BYTES, size_message
from imports.services import charter_import_save, existing_partner_names


class Command(BaseCommand):
    help = "Importe une charte (DOCX, PDF, Markdown ou texte) comme nouveau brouillon non publié."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--title", default="", help="Titre de la charte créée.")
        parser.add_argument("--territory", default="Département", help="Territoire.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Analyser seulement, sans rien enregistrer."
        )

    def handle(self, *args, file: Path, title: str, territory: str, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        data = file.read_bytes()
        if len(data) > MAX_IMPORT_BYTES:
            raise CommandError(size_message(len(data)))
        try:
            document = charter_document(filename=file.name, data=data)
        except DocumentError as error:
            raise CommandError(str(error)) from error
        matched = existing_partner_names(document=document)
        write = self.stdout.write
        write(f"Titre : {document.title or '(non trouvé)'}")
        write(f"Organisation du document : {document.layout}")
        write(f"Orientations : {len(document.orientations)}")
        for orientation in document.orientations:
            write(
                f"  {orientation.number}. {orientation.title} ({len(orientation.actions)} actions)"
            )
            for action in orientation.actions:
                write(f"     Action {action.code} : {action.title}")
        write(f"Partenaires : {len(document.partners)}")
        for index, partner in enumerate(document.partners):
            state = f"existant : {matched[index]}" if index in matched else "nouveau"
            count = len(document.commitments_of(index))
            write(f"  {partner.name} [{partner.short_name}] ({state}) : {count} engagement(s)")
        write(f"Engagements : {len(document.commitments)}")
        write(f"Engagements partagés : {len(document.shared_commitments)}")
        write(f"Déclarations : {len(document.declarations)}")
        for declaration in document.declarations:
            write(
                f"  {declaration.title} → {declaration.partner_short_name_or_name} "
                f"(reconnu par : {declaration.match})"
            )
        write(f"Signataires : {len(document.signatories)}")
        write(f"Lexique : {len(document.lexicon)} entrée(s)")
        write(f"Non placé : {len(document.unplaced)} ligne(s)")
        for item in document.unplaced:
            write(f"  {item.place} ({item.reason}) : {item.text[:100]}")
        missing = [
            label
            for label, found in (
                ("aucune orientation", document.orientations),
                ("aucun engagement", document.commitments or document.shared_commitments),
            )
            if not found
        ]
        if missing:
            raise CommandError(
                f"Rien à importer : {' ni '.join(missing)} n'a été trouvé dans ce document. "
                "Vérifiez qu'il contient des titres « Orientation », « Axe » ou « Action », ou "
                "une section par partenaire, puis relancez l'analyse."
            )
        if dry_run:
            write("Analyse seule : rien n'a été enregistré.")
            return
        try:
            charter = charter_import_save(
                document=document, filename=file.name, user=None, title=title, territory=territory
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Brouillon créé (non publié) : « {charter.title} » (page n° {charter.pk})."
            )
        )
