"""The data import preview: a summary in French, the rows grouped (changed rows first, each
changed field « avant → après » in words, then new rows, unchanged rows folded) and the columns
the import does not read."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import Truncator

from core.text import count_of, french_date

# Longest text shown for one value (a point d'avancement can be long).
MAX_VALUE_CHARS = 300
# Unchanged (and, in a big file, new) rows listed in their folded list at most.
MAX_FOLDED_ROWS = 500
EMPTY = "(vide)"


@dataclass(frozen=True)
class FieldChange:
    """One field of one record: its French name, its value before and after, in words."""

    label: str
    before: str
    after: str


def _display(model_field, instance) -> str:
    """A field's value as the secretariat reads it: labels, names, French dates."""
    if model_field.many_to_one:
        related = getattr(instance, model_field.name, None)
        return str(related) if related is not None else EMPTY
    value = getattr(instance, model_field.attname)
    if value is None or value == "":
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.date):
        return french_date(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    return Truncator(str(value)).chars(MAX_VALUE_CHARS)


def _label(model_field) -> str:
    name = str(model_field.verbose_name)
    return name[:1].upper() + name[1:]


def row_changes(*, resource, instance) -> tuple[str, list[FieldChange]]:
    """The record a row names and, for an update, each imported field that changes."""
    if instance is None:
        return "", []
    record = str(instance)
    before = getattr(instance, "_import_before", None)
    if before is None:
        return record, []
    changes = []
    for name in resource._meta.fields or ():
        model_field = instance._meta.get_field(name)
        if model_field.value_from_object(before) == model_field.value_from_object(instance):
            continue
        changes.append(
            FieldChange(
                label=_label(model_field),
                before=_display(model_field, before),
                after=_display(model_field, instance),
            )
        )
    return record, changes


def totals_text(totals: dict[str, int], *, with_errors: bool = True) -> str:
    """« 3 nouveaux, 1 modifié, 224 inchangés, 0 en erreur »."""
    parts = [
        count_of(totals.get("nouveau", 0), "nouveau", "nouveaux"),
        count_of(totals.get("modifié", 0), "modifié"),
        count_of(totals.get("inchangé", 0), "inchangé"),
    ]
    if with_errors:
        parts.append(f"{totals.get('invalide', 0)} en erreur")
    return ", ".join(parts)


def ignored_columns_text(columns: list[str]) -> str:
    """The warning naming the columns the import does not read."""
    names = ", ".join(f"« {column} »" for column in columns)
    if len(columns) == 1:
        return f"Colonne ignorée : {names}. Ses modifications ne seront pas importées."
    return f"Colonnes ignorées : {names}. Leurs modifications ne seront pas importées."


@dataclass
class Preview:
    """What the preview screen shows, in its order."""

    summary: str
    warnings: list[str] = field(default_factory=list)
    invalid: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    new: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    unchanged_count: int = 0
    new_count: int = 0

    @property
    def unchanged_hidden(self) -> int:
        return self.unchanged_count - len(self.unchanged)

    @property
    def new_hidden(self) -> int:
        return self.new_count - len(self.new)

    @property
    def long(self) -> bool:
        """Long enough to repeat the buttons below the rows."""
        return len(self.changed) + len(self.new) + len(self.invalid) > 5


def build_preview(report) -> Preview:
    """The preview of an import report (imports.services.ImportReport)."""
    rows = report.rows
    preview = Preview(
        summary=f"{count_of(len(rows), 'ligne')} : {totals_text(report.totals)}.",
        warnings=[ignored_columns_text(report.ignored_columns)] if report.ignored_columns else [],
    )
    for row in rows:
        if row.outcome == "invalide":
            preview.invalid.append(row)
        elif row.outcome == "modifié":
            preview.changed.append(row)
        elif row.outcome == "nouveau":
            preview.new_count += 1
            if len(preview.new) < MAX_FOLDED_ROWS:
                preview.new.append(row)
        else:
            preview.unchanged_count += 1
            if len(preview.unchanged) < MAX_FOLDED_ROWS:
                preview.unchanged.append(row)
    return preview
