"""Domain verbs of the imports app: run a file import (dry run or for real), all or nothing."""

from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from charter.choices import CharterStatus, DocumentType
from charter.models import ActionPage, CharterPage, Partner
from charter.parsing import ParsedDocument
from charter.parsing.cleanup import fold
from charter.selectors import charters_home
from engagements.services import commitment_create

from .choices import UNPLACED_TRANSITIONS, ImportKind, UnplacedStatus
from .models import ImportRecord, UnplacedLine
from .permissions import can_import
from .preview import FieldChange, row_changes
from .reading import read_table
from .resources import RESOURCES, Lookups
from .tree import TreeOptions, charter_tree_write, existing_partners, unique_slug

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
    """One row of the preview: its line, outcome, errors, record and changed fields."""

    label: str
    outcome: str
    summary: str = ""
    errors: list[str] = field(default_factory=list)
    record: str = ""
    changes: list[FieldChange] = field(default_factory=list)


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
    ignored_columns: list[str] = field(default_factory=list)
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
    report.ignored_columns = resource.ignored_columns(headers)
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
            if row.outcome != "invalide":
                row.record, row.changes = row_changes(
                    resource=resource, instance=row_result.instance
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


def existing_partner_names(*, document: ParsedDocument) -> dict[int, str]:
    """Index of each document partner → name of the existing partner it will be matched to."""
    existing = existing_partners()
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
    with transaction.atomic():
        home = charters_home()
        if home is None:
            raise ValidationError("Le site n'a pas de page d'accueil où ranger la charte.")
        charter, report = charter_tree_write(
            home=home,
            document=document,
            slug=unique_slug(home, title),
            values={
                "title": title,
                "territory": (territory or "Département")[:120],
                "lifecycle_status": CharterStatus.DRAFT,
                "document_type": DocumentType.CHARTER,
                "introduction": document.introduction,
            },
            options=TreeOptions(user=user, reason=CHARTER_IMPORT_REASON.format(filename=filename)),
        )
        record = ImportRecord.objects.create(
            kind=ImportKind.CHARTER,
            filename=filename[:255],
            user=user if user is not None and user.is_authenticated else None,
            totals={
                "orientations": len(document.orientations),
                "actions": report.created["actions"],
                "partenaires": len(document.partners),
                "engagements": len(document.commitments),
                "lexique": len(document.lexicon),
                "non placés": len(document.unplaced),
            },
        )
        unplaced_lines_keep(charter=charter, record=record, document=document)
    return charter


def unplaced_location(item) -> str:
    """Where an unplaced line is in the user's file (« ligne 12 », « paragraphe 40 »…)."""
    return (getattr(item, "place", "") or f"ligne {item.line}")[:64]


def unplaced_lines_keep(
    *, charter: CharterPage, record: ImportRecord | None, document: ParsedDocument
) -> list[UnplacedLine]:
    """Keep every line the reader could not place, « À placer » on the saved draft."""
    return UnplacedLine.objects.bulk_create(
        UnplacedLine(
            charter=charter,
            import_record=record,
            position=position,
            location=unplaced_location(item),
            text=item.text,
            reason=item.reason[:255],
        )
        for position, item in enumerate(document.unplaced, start=1)
    )


def _resolve(*, line: UnplacedLine, user: AbstractBaseUser | None, status: str) -> UnplacedLine:
    """Lock the line, check who and which transition, then record the outcome (not saved)."""
    if user is not None and not can_import(user):
        raise PermissionDenied("Seul le secrétariat de la CCAPEX peut placer les lignes importées.")
    locked = UnplacedLine.objects.select_for_update().get(pk=line.pk)
    if status not in UNPLACED_TRANSITIONS[locked.status]:
        raise ValidationError(
            f"Cette ligne a déjà été traitée (« {locked.get_status_display()} ») : "
            "elle ne peut plus changer."
        )
    locked.status = status
    locked.resolved_by = user if user is not None and user.is_authenticated else None
    locked.resolved_at = timezone.now()
    return locked


def _log_resolution(line: UnplacedLine, user, **data) -> None:
    log(
        instance=line,
        action="imports.unplaced",
        user=user,
        data={"status": line.status, "location": line.location, **data},
    )


def unplaced_assign(
    *, line: UnplacedLine, action: ActionPage, partner: Partner, user: AbstractBaseUser | None
) -> UnplacedLine:
    """Turn an unplaced line into a commitment of a partner for an action of its charter."""
    if not action.path.startswith(line.charter.path):
        raise ValidationError("Choisissez une action de la charte d'où vient cette ligne.")
    with transaction.atomic():
        locked = _resolve(line=line, user=user, status=UnplacedStatus.ASSIGNED)
        locked.commitment = commitment_create(
            action=action,
            partner=partner,
            text=locked.text,
            user=user,
            reason=f"Ligne importée placée ({locked.location})",
        )
        locked.save()
        _log_resolution(locked, user, action=action.code, partner=partner.short_name)
    return locked


def unplaced_to_preamble(*, line: UnplacedLine, user: AbstractBaseUser | None) -> UnplacedLine:
    """Append an unplaced line to its charter's preamble, in a new draft revision."""
    with transaction.atomic():
        locked = _resolve(line=line, user=user, status=UnplacedStatus.PREAMBLE)
        charter = locked.charter.specific.get_latest_revision_as_object()
        charter.introduction = "\n\n".join(
            part for part in (charter.introduction.rstrip(), locked.text.strip()) if part
        )
        charter.save_revision(user=user, log_action=True, clean=False)
        locked.save()
        _log_resolution(locked, user)
    return locked


def unplaced_discard(*, line: UnplacedLine, user: AbstractBaseUser | None) -> UnplacedLine:
    """Discard an unplaced line: it stays listed as « Écartée », with who and when."""
    with transaction.atomic():
        locked = _resolve(line=line, user=user, status=UnplacedStatus.DISCARDED)
        locked.save()
        _log_resolution(locked, user)
    return locked
