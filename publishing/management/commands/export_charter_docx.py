"""Exports a charter version (or the current content) to DOCX."""

import shutil
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from charter.choices import DocumentType
from charter.models import CharterPage
from publishing.docx.export import DocxExportError, export_docx
from publishing.docx.pdf import PdfExportError, export_pdf
from publishing.models import CharterVersion
from publishing.selectors import version_in_force
from publishing.snapshot import build_snapshot, fingerprint

WORKING_COPY = "Version de travail"


class Command(BaseCommand):
    help = (
        "Exporte la charte en DOCX. Sans --version : la version en vigueur, ou à défaut le "
        "contenu actuel (« Version de travail »)."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version names a charter version: it replaces Django's --version (program version).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            required=True,
            help="Fichier à écrire : DOCX, ou PDF/A (LibreOffice) si son nom finit par .pdf.",
        )
        parser.add_argument("--version", dest="version_name", help="Nom de la version.")
        parser.add_argument(
            "--charter", help="Identifiant d'URL (slug) de la charte, s'il y en a plusieurs."
        )

    def handle(self, *args, output, version_name=None, charter=None, **options):
        charter_page = self._charter(charter)
        if version_name:
            version = CharterVersion.objects.filter(charter=charter_page, name=version_name).first()
            if version is None:
                names = ", ".join(
                    f"« {n} »" for n in charter_page.versions.values_list("name", flat=True)
                )
                raise CommandError(
                    f"Aucune version « {version_name} » pour cette charte. "
                    f"Versions existantes : {names or 'aucune'}."
                )
        else:
            version = version_in_force(charter=charter_page)
        if version is not None:
            snapshot, digest, label = version.snapshot, version.fingerprint, version.name
        else:
            label = WORKING_COPY
            snapshot = build_snapshot(charter=charter_page, name=label, date=timezone.localdate())
            digest = fingerprint(snapshot)
        try:
            if output.lower().endswith(".pdf"):
                exported = export_pdf(snapshot, fingerprint=digest)
            else:
                exported = export_docx(snapshot, fingerprint=digest)
        except (DocxExportError, PdfExportError) as error:
            raise CommandError(str(error)) from error
        target = Path(output)
        if target.parent and not target.parent.exists():
            raise CommandError(f"Le dossier « {target.parent} » n'existe pas.")
        shutil.copyfile(exported.path, target)
        self.stdout.write(
            f"{target} : « {charter_page.title} », {label}, {exported.size} octets, "
            f"empreinte SHA-256 {digest}" + (" (cache)" if exported.cached else "")
        )

    def _charter(self, slug: str | None) -> CharterPage:
        if slug:
            page = CharterPage.objects.filter(slug=slug).first()
            if page is None:
                raise CommandError(f"Aucune charte avec l'identifiant « {slug} ».")
            return page
        charters = list(CharterPage.objects.filter(document_type=DocumentType.CHARTER))
        if len(charters) != 1:
            slugs = ", ".join(c.slug for c in charters) or "aucune"
            raise CommandError(f"Précisez la charte avec --charter (chartes : {slugs}).")
        return charters[0]
