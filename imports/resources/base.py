"""What every import resource shares: lookups of the records a file names, French errors,
duplicate rows refused, the model's validation, history reason and audit log."""

import copy

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import resources
from wagtail.log_actions import log

from charter.models import ActionPage, CharterPage, Partner
from charter.parsing.cleanup import fold
from monitoring.models import Indicator

IMPORT_LOG_ACTION = "imports.import"


class ColumnError(ValueError):
    """A bad value, with the model attribute it belongs to."""

    def __init__(self, attribute: str, message: str):
        super().__init__(message)
        self.attribute = attribute


class Lookups:
    """Caches of the records an import refers to (a few queries per import, not per row)."""

    def __init__(self, *, charter: CharterPage | None = None):
        self.default_charter = charter
        self.partners: dict[str, Partner] = {}
        self.partners_by_id: dict[int, Partner] = {}
        for partner in Partner.objects.all():
            self.partners_by_id[partner.pk] = partner
            for key in (partner.slug, partner.short_name, partner.name):
                self.partners.setdefault(fold(key), partner)
        self.charters: dict[str, CharterPage] = {}
        for page in CharterPage.objects.all():
            self.charters.setdefault(fold(page.slug), page)
            self.charters.setdefault(fold(page.title), page)
        self._actions: dict[int, dict[str, ActionPage]] = {}
        self.indicators = {fold(i.name): i for i in Indicator.objects.all()}

    def partner(self, value: str, row: dict) -> Partner:
        found = self.partners.get(fold(value))
        if found is None:
            raise ColumnError(
                "partner",
                f"Partenaire inconnu : « {value} » (indiquez son nom, son sigle ou son "
                "identifiant ; importez d'abord les partenaires).",
            )
        return found

    def charter(self, value: str, row: dict | None = None) -> CharterPage:
        found = self.charters.get(fold(value))
        if found is None:
            raise ColumnError(
                "charter", f"Charte inconnue : « {value} » (indiquez son identifiant d'URL)."
            )
        return found

    def row_charter(self, row: dict) -> CharterPage | None:
        value = str(row.get("charte") or "").strip()
        if value:
            return self.charter(value)
        return self.default_charter

    def action(self, value: str, row: dict) -> ActionPage:
        try:
            charter = self.row_charter(row)
        except ValueError as error:
            raise ColumnError("action", f"Action « {value} » : {error}") from error
        if charter is None:
            raise ColumnError(
                "action", "Indiquez la charte (colonne « charte » ou choix du formulaire)."
            )
        if charter.pk not in self._actions:
            self._actions[charter.pk] = {
                fold(page.code): page for page in ActionPage.objects.descendant_of(charter)
            }
        code = value[len("action") :].strip() if fold(value).startswith("action") else value
        found = self._actions[charter.pk].get(fold(code))
        if found is None:
            raise ColumnError("action", f"Action inconnue dans « {charter.title} » : « {value} ».")
        return found

    def loaded_actions(self) -> dict[int, ActionPage]:
        """The actions of the charters looked up so far, by id."""
        return {page.pk: page for pages in self._actions.values() for page in pages.values()}

    def indicator(self, value: str, row: dict) -> Indicator:
        found = self.indicators.get(fold(value))
        if found is None:
            raise ColumnError("indicator", f"Indicateur inconnu : « {value} ».")
        return found


class ImportResource(resources.ModelResource):
    """Common behaviour: French errors, duplicate rows refused, history reason, audit log."""

    required_columns: tuple[str, ...] = ()
    key_label = ""

    def __init__(self, *, lookups: Lookups, reason: str, user=None, line_offset: int = 1):
        super().__init__()
        self.lookups = lookups
        self.reason = reason
        self.user = user
        self.line_offset = line_offset
        self._seen: dict[tuple, int] = {}

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_html_diff = True
        use_transactions = True
        # The preview shows each row's record before → after (imports/preview.py).
        store_instance = True

    def line(self, row_number: int) -> str:
        """How a row is named to the user."""
        if self.line_offset:
            return f"ligne {row_number + self.line_offset}"
        return f"enregistrement n° {row_number}"

    def column_of(self, name: str) -> str:
        """The column name of a model attribute (for error messages)."""
        if name == NON_FIELD_ERRORS:
            return ""
        if name == "id":
            return "id"
        field = self.fields.get(name)
        return field.column_name if field is not None else name

    def missing_columns(self, headers: list[str]) -> list[str]:
        """Required columns absent from the file."""
        return [column for column in self.required_columns if column not in headers]

    # Columns read beside the fields (the open-data files are re-imported as exported): a French
    # label beside its code column (whichever of the two was edited is the new value), another
    # spelling of a column, and the columns read by find_instance() or the lookups.
    label_columns: dict[str, str] = {}
    column_aliases: dict[str, str] = {}
    read_columns: tuple[str, ...] = ()

    def ignored_columns(self, headers: list[str]) -> list[str]:
        """Columns of the file that the import does not read (the preview names them)."""
        read = {field.column_name for field in self.fields.values()}
        read |= {*self.label_columns, *self.read_columns, *self.required_columns}
        read |= {alias for alias, column in self.column_aliases.items() if column not in headers}
        return [header for header in headers if header and header not in read]

    def import_instance(self, instance, row, **kwargs):
        row, errors = self.read_label_columns(instance, row)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def read_label_columns(self, instance, row) -> tuple[dict, dict]:
        """The row with its aliases and label columns read into their columns, and their errors."""
        if not any(column in row for column in (*self.label_columns, *self.column_aliases)):
            return row, {}
        row = dict(row)
        for alias, column in self.column_aliases.items():
            if alias in row and column not in row:
                row[column] = row[alias]
        errors: dict = {}
        for label_column, code_column in self.label_columns.items():
            try:
                value = self._label_value(instance, row, label_column, code_column)
            except ValueError as error:
                errors[label_column] = [ValidationError(str(error), code="invalid")]
            else:
                if value is not None:
                    row[code_column] = value
        return row, errors

    def _label_value(self, instance, row, label_column: str, code_column: str):
        """The code a label column gives, None to keep the code column's value."""
        label = str(row.get(label_column) or "").strip()
        if not label:
            return None
        field = next(f for f in self.fields.values() if f.column_name == code_column)
        from_label = field.widget.clean(label)
        code = str(row.get(code_column) or "").strip()
        if not code:
            return from_label
        try:
            from_code = field.widget.clean(code)
        except ValueError:
            return None  # the code column's own error is reported
        if from_code == from_label:
            return None
        before = getattr(instance, "_import_before", None)
        stored = getattr(before, field.attribute, None) if before is not None else None
        if from_code == stored:
            return from_label  # only the label was edited (a spreadsheet user's change)
        if from_label == stored:
            return None  # only the code was edited
        raise ValueError(
            f"les colonnes « {code_column} » (« {code} ») et « {label_column} » (« {label} ») "
            "se contredisent : gardez la même valeur dans les deux, ou videz l'une d'elles."
        )

    def natural_key(self, row: dict) -> tuple | None:
        """The key that identifies a record in the file (for duplicate detection)."""
        return None

    def before_import_row(self, row, **kwargs):
        number = kwargs.get("row_number", 0)
        try:
            key = self.natural_key(row)
        except ValueError:
            key = None
        if key is not None:
            if key in self._seen:
                raise ValidationError(
                    {
                        NON_FIELD_ERRORS: (
                            f"Ligne en double : même {self.key_label} que la "
                            f"{self.line(self._seen[key])}."
                        )
                    }
                )
            self._seen[key] = number

    def get_instance(self, instance_loader, row):
        try:
            found = self.find_instance(row)
        except ValueError as error:
            attribute = getattr(error, "attribute", NON_FIELD_ERRORS)
            raise ValidationError({attribute: str(error)}) from error
        if found is not None:
            # The record before this row: the preview's « avant », the label columns' reference.
            found._import_before = copy.copy(found)
        return found

    def find_instance(self, row):
        raise NotImplementedError

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Model errors, except on columns whose value could not even be read."""
        unreadable = {
            name: list(messages) if isinstance(messages, list) else [messages]
            for name, messages in (import_validation_errors or {}).items()
        }
        errors = {}
        if self._meta.clean_model_instances:
            try:
                self.clean_instance(
                    instance, exclude=set(unreadable), validate_unique=validate_unique
                )
            except ValidationError as error:
                errors = {
                    name: messages
                    for name, messages in error.error_dict.items()
                    if name not in unreadable
                }
        errors.update(unreadable)
        if errors:
            raise ValidationError(errors)

    def clean_instance(self, instance, *, exclude: set[str], validate_unique: bool) -> None:
        """The model's own validation (full_clean), without the columns in `exclude`."""
        instance.full_clean(exclude=exclude, validate_unique=validate_unique)

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = self.reason
        instance._history_user = self.user

    # A resource that records its saves (see bulk.py) writes the log entries with them.
    _operations: list | None = None

    def after_save_instance(self, instance, row, **kwargs):
        if not kwargs.get("dry_run") and self._operations is None:
            log(
                instance=instance,
                action=IMPORT_LOG_ACTION,
                user=self.user,
                data={"reason": self.reason},
            )


def folded(value) -> str:
    """A cell as a comparison key (case, accents and spacing folded)."""
    return fold(str(value or ""))
