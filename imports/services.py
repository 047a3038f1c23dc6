"""Domain verbs of the imports app: run a file import (dry run or for real), all or nothing."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from charter.choices import CharterStatus, DocumentType, PartnerKind, SignatureStatus
from charter.models import (
    ActionPage,
    CharterPage,
    Declaration,
    OrientationPage,
    Partner,
    Signatory,
)
from charter.parsing.cleanup import fold
from charter.selectors import charters_home
from charter.services import signature_record
from engagements.documents import partner_documents_sync
from engagements.models import Commitment
from glossary.models import LexiconEntry

from .choices import ImportKind
from .models import ImportRecord
from .parsing import ParsedDocument
from .permissions import can_import
from .reading import read_table
from .resources import RESOURCES, Lookups

ROW_OUTCOMES = {
    "new": "nouveau",
    "update": "modifié",
    "skip": "inchangé",
    "invalid": "invalide",
    "error": "invalide",
    "delete": "supprimé",
}


@dataclass
class RowReport:
    """One row of the preview: its line, outcome and errors."""

    label: str
    outcome: str
    summary: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did or would do: per-row outcomes, totals, errors in French."""

    kind: str
    filename: str
    dry_run: bool
    file_format: str = ""
    encoding: str = ""
    separator: str = ""
    rows: list[RowReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def totals(self) -> dict[str, int]:
        counts = {"nouveau": 0, "modifié": 0, "inchangé": 0, "invalide": 0}
        for row in self.rows:
            counts[row.outcome] = counts.get(row.outcome, 0) + 1
        return counts


def import_reason(*, kind: str, filename: str) -> str:
    """The history reason recorded on every record changed by an import."""
    when = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    return f"Import « {ImportKind(kind).label} » du fichier « {filename} » ({when})"


def _error_text(resource, label: str, error: Exception) -> list[str]:
    """French messages naming the line, the column and the reason."""
    if isinstance(error, ValidationError):
        messages = []
        items = error.message_dict.items() if hasattr(error, "error_dict") else []
        for name, texts in items:
            column = resource.column_of(name)
            where = f"{label}, colonne « {column} »" if column else label
            messages.extend(f"{where} : {text}" for text in texts)
        if not hasattr(error, "error_dict"):
            messages.extend(f"{label} : {text}" for text in error.messages)
        return messages
    if isinstance(error, IntegrityError):
        return [f"{label} : conflit avec un enregistrement existant (doublon)."]
    return [f"{label} : valeur invalide ({error.__class__.__name__})."]


def _summary(row_values: dict, kind: str) -> str:
    columns = {
        "partners": ("nom", "sigle"),
        "commitments": ("id", "partenaire", "action", "rang", "statut"),
        "lexicon": ("sigle",),
        "indicator_values": ("indicateur", "annee", "valeur"),
    }[kind]
    parts = [str(row_values.get(c)) for c in columns if str(row_values.get(c) or "").strip()]
    return " · ".join(parts)


def import_file(
    *,
    kind: str,
    filename: str,
    data: bytes,
    user: AbstractBaseUser | None,
    dry_run: bool,
    charter: CharterPage | None = None,
) -> ImportReport:
    """Import a CSV, XLSX or JSON file: every row or none; the report names each row's fate."""
    if kind not in RESOURCES:
        raise ValidationError(f"Type d'import inconnu : « {kind} ».")
    if user is not None and not can_import(user):
        raise PermissionDenied("Seul le secrétariat de la CCAPEX peut importer des données.")
    report = ImportReport(kind=kind, filename=filename, dry_run=dry_run)
    try:
        table = read_table(filename=filename, data=data)
    except ValidationError as error:
        report.errors.extend(error.messages)
        return report
    report.file_format, report.encoding, report.separator = (
        table.file_format,
        table.encoding,
        table.separator,
    )
    resource = RESOURCES[kind](
        lookups=Lookups(charter=charter),
        reason=import_reason(kind=kind, filename=filename),
        user=user,
        line_offset=table.line_offset,
    )
    headers = list(table.dataset.headers)
    if missing := resource.missing_columns(headers):
        report.errors.append(
            "Colonne(s) manquante(s) : "
            + ", ".join(f"« {column} »" for column in missing)
            + ". Colonnes trouvées : "
            + ", ".join(f"« {column} »" for column in headers)
            + "."
        )
        return report
    with transaction.atomic():
        result = resource.import_data(
            table.dataset,
            dry_run=dry_run,
            raise_errors=False,
            rollback_on_validation_errors=True,
            user=user,
        )
        for error in result.base_errors:
            report.errors.append(f"Erreur générale : {error.error}")
        values = table.dataset.dict
        for number, row_result in enumerate(result.rows, start=1):
            label = resource.line(number)
            label = label[0].upper() + label[1:]
            row = RowReport(
                label=label,
                outcome=ROW_OUTCOMES.get(row_result.import_type, row_result.import_type),
                summary=_summary(values[number - 1], kind),
            )
            if row_result.validation_error is not None:
                row.errors = _error_text(resource, label, row_result.validation_error)
            for error in row_result.errors:
                row.errors.extend(_error_text(resource, label, error.error))
            report.errors.extend(row.errors)
            report.rows.append(row)
        if not dry_run and report.ok:
            ImportRecord.objects.create(
                kind=kind,
                filename=filename[:255],
                user=user if user is not None and user.is_authenticated else None,
                totals=report.totals,
            )
            report.written = True
        elif not dry_run:
            transaction.set_rollback(True)
    return report


CHARTER_IMPORT_REASON = "Import du document de charte « {filename} »"


def _unique_slug(parent, base: str) -> str:
    base = slugify(base)[:60] or "charte-importee"
    slug, suffix = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _partner_for(parsed, existing: dict[str, Partner]) -> Partner:
    for key in (fold(parsed.name), fold(parsed.short_name)):
        if key in existing:
            return existing[key]
    slug = slugify(parsed.short_name)[:90] or slugify(parsed.name)[:90] or "partenaire"
    base, suffix = slug, 2
    while Partner.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    partner = Partner(
        name=parsed.name[:255],
        short_name=parsed.short_name[:80],
        slug=slug,
        kind=parsed.kind if parsed.kind in PartnerKind.values else PartnerKind.OTHER,
    )
    partner.full_clean()
    partner.save()
    for key in (fold(partner.name), fold(partner.short_name)):
        existing.setdefault(key, partner)
    return partner


def existing_partner_names(*, document: ParsedDocument) -> dict[int, str]:
    """Index of each document partner → name of the existing partner it will be matched to."""
    existing: dict[str, Partner] = {}
    for partner in Partner.objects.all():
        existing.setdefault(fold(partner.name), partner)
        existing.setdefault(fold(partner.short_name), partner)
    found = {}
    for index, parsed in enumerate(document.partners):
        match = existing.get(fold(parsed.name)) or existing.get(fold(parsed.short_name))
        if match is not None:
            found[index] = match.name
    return found


def charter_import_save(
    *,
    document: ParsedDocument,
    filename: str,
    user: AbstractBaseUser | None,
    title: str = "",
    territory: str = "Département",
) -> CharterPage:
    """Save a parsed charter document as a new, unpublished draft charter (all or nothing)."""
    if user is not None and not can_import(user):
        raise PermissionDenied("Seul le secrétariat de la CCAPEX peut importer une charte.")
    title = (title or document.title or "Charte importée").strip()[:255]
    if not document.orientations and not document.commitments:
        raise ValidationError(
            "Aucune orientation ni aucun engagement n'a été trouvé dans ce document."
        )
    reason = CHARTER_IMPORT_REASON.format(filename=filename)
    with transaction.atomic():
        home = charters_home()
        if home is None:
            raise ValidationError("Le site n'a pas de page d'accueil où ranger la charte.")
        existing: dict[str, Partner] = {}
        for partner in Partner.objects.all():
            existing.setdefault(fold(partner.name), partner)
            existing.setdefault(fold(partner.short_name), partner)
        partners = [_partner_for(parsed, existing) for parsed in document.partners]
        charter = CharterPage(
            title=title,
            slug=_unique_slug(home, title),
            territory=(territory or "Département")[:120],
            lifecycle_status=CharterStatus.DRAFT,
            document_type=DocumentType.CHARTER,
            introduction=document.introduction,
            live=False,
        )
        seen: set[int] = set()
        signatories = []
        for partner in partners:
            if partner.pk not in seen:
                seen.add(partner.pk)
                signatories.append(Signatory(partner=partner, sort_order=len(signatories)))
        charter.signatories = signatories
        by_short = {p.short_name: partners[i] for i, p in enumerate(document.partners)}
        declared = [d for d in document.declarations if d.partner_short_name_or_name in by_short]
        charter.declarations = [
            Declaration(
                partner=by_short[d.partner_short_name_or_name],
                title=d.title[:255],
                text=d.text,
                place=d.place[:120],
                signed_on=d.date,
                sort_order=i,
            )
            for i, d in enumerate(declared)
        ]
        home.add_child(instance=charter)
        for declaration in declared:
            # Who signs a declaration signs for its partner: the (pending) signature says so.
            if declaration.signer_name or declaration.signer_role:
                signature_record(
                    charter=charter,
                    partner=by_short[declaration.partner_short_name_or_name],
                    user=user,
                    status=SignatureStatus.PENDING,
                    signer_name=declaration.signer_name[:160],
                    signer_title=declaration.signer_role[:160],
                )
        for partner in {p.pk: p for p in partners}.values():
            partner_documents_sync(partner=partner)
        charter.save_revision(user=user, log_action=True)
        action_pages: dict[str, ActionPage] = {}
        for orientation in document.orientations:
            orientation_page = OrientationPage(
                title=orientation.title[:255],
                slug=f"orientation-{orientation.number}",
                number=orientation.number,
                live=False,
            )
            charter.add_child(instance=orientation_page)
            orientation_page.save_revision(user=user, log_action=True)
            for action in orientation.actions:
                action_page = ActionPage(
                    title=action.title[:255],
                    slug=_unique_slug(orientation_page, f"action-{action.code}"),
                    number=action.number,
                    code=action.code[:16],
                    live=False,
                )
                orientation_page.add_child(instance=action_page)
                action_page.save_revision(user=user, log_action=True)
                action_pages[action.key] = action_page
        positions: dict[tuple[int, int], int] = {}
        for found in document.commitments:
            partner, action = partners[found.partner], action_pages[found.action_key]
            position = positions.get((partner.pk, action.pk), 0) + 1
            positions[(partner.pk, action.pk)] = position
            commitment = Commitment(
                partner=partner, action=action, position=position, text=found.markdown
            )
            commitment.full_clean()
            commitment._change_reason = reason
            commitment._history_user = user
            commitment.save()
        for entry in document.lexicon:
            lexicon_entry = LexiconEntry(
                charter=charter, term=entry.term[:120], definition=entry.definition
            )
            lexicon_entry.full_clean()
            lexicon_entry.save()
        ImportRecord.objects.create(
            kind=ImportKind.CHARTER,
            filename=filename[:255],
            user=user if user is not None and user.is_authenticated else None,
            totals={
                "orientations": len(document.orientations),
                "actions": len(action_pages),
                "partenaires": len(partners),
                "engagements": len(document.commitments),
                "lexique": len(document.lexicon),
                "non placés": len(document.unplaced),
            },
        )
    return charter
