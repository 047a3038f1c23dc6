"""Commitments: updated by their id, else by (partner, action, rank); created otherwise.

A row is checked by the commitment rules (`engagements.rules.validate_commitment_change`), then
by Django's `Model.full_clean()`, without the queries that would be one per row: the foreign
keys known to exist are excluded, and the one uniqueness rule of a commitment (its natural key:
partner, action, rank) is checked against the commitments prefetched once for the file.
"""

import contextlib
import copy

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, router
from django.utils import timezone
from import_export import fields

from charter.models import ActionPage, Partner
from engagements.choices import CommitmentStatus
from engagements.models import Commitment
from engagements.rules import (
    OVERDUE_WORDS,
    changed_fields,
    is_progress_report,
    validate_commitment_change,
)

from ..widgets import ChoiceWidget, DateWidget, IntegerWidget, LookupWidget, TextWidget
from .base import IMPORT_LOG_ACTION, ColumnError, ImportResource, folded
from .bulk import BulkWriter, SaveOperation

# The natural key of a commitment: the fields of its one unique constraint.
NATURAL_KEY = ("partner", "action", "position")
# Check constraints that a field validator already enforces in full_clean() (a test proves it):
# a check constraint not listed here is validated by Django (one query per row).
ENFORCED_BY_FIELD_VALIDATORS = frozenset({"commitment_progress_max_100"})


class CommitmentResource(ImportResource):
    """Commitments: updated by their id, else by (partner, action, rank); created otherwise."""

    partner = fields.Field("partner", "partenaire", saves_null_values=False)
    action = fields.Field("action", "action", saves_null_values=False)
    position = fields.Field("position", "rang", IntegerWidget("Rang"), saves_null_values=False)
    text = fields.Field("text", "engagement", TextWidget(), saves_null_values=False)
    status = fields.Field(
        "status",
        "statut",
        ChoiceWidget(
            CommitmentStatus,
            "Statut",
            # The words the services refuse too: one list (engagements.rules.OVERDUE_WORDS).
            refuse=dict.fromkeys(
                OVERDUE_WORDS,
                "« En retard » n'est pas un statut : il est calculé d'après l'échéance.",
            ),
        ),
        saves_null_values=False,
    )
    progress = fields.Field(
        "progress", "avancement", IntegerWidget("Avancement"), saves_null_values=False
    )
    due_date = fields.Field("due_date", "echeance", DateWidget("Échéance"), saves_null_values=False)
    narrative = fields.Field(
        "narrative", "point_d_avancement", TextWidget(), saves_null_values=False
    )
    evidence_url = fields.Field(
        "evidence_url", "justificatif_url", TextWidget(), saves_null_values=False
    )

    required_columns = ("partenaire", "action", "engagement")
    key_label = "engagement (partenaire, action et rang)"
    # The open-data file (opendata.selectors.commitment_records), re-imported as exported.
    label_columns = {"statut_libelle": "statut"}
    column_aliases = {"point_avancement": "point_d_avancement"}
    read_columns = ("id", "charte")

    class Meta(ImportResource.Meta):
        model = Commitment
        fields = (
            "partner",
            "action",
            "position",
            "text",
            "status",
            "progress",
            "due_date",
            "narrative",
            "evidence_url",
        )
        import_id_fields = ()

    def missing_columns(self, headers):
        if "id" in headers:
            return []
        return [*super().missing_columns(headers), *(["rang"] if "rang" not in headers else [])]

    def natural_key(self, row):
        if str(row.get("id") or "").strip():
            return ("id", str(row["id"]).strip())
        charter = self.lookups.row_charter(row)
        return (
            charter.pk if charter else None,
            folded(row.get("partenaire")),
            folded(row.get("action")),
            str(row.get("rang") or "").strip(),
        )

    # Prefetching: before_import() loads, in a few queries, the commitments the file can reach
    # (by id, and every commitment of the actions it names) with their partner and action; rows
    # are then matched and validated against these dicts, which follow the rows already
    # imported (a saved row moves its key), as the database would inside the import.

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["partner"].widget = LookupWidget(self.lookups.partner)
        self.fields["action"].widget = LookupWidget(self.lookups.action)
        self._prefetched = False
        self._by_id: dict[int, Commitment] = {}
        self._by_key: dict[tuple, Commitment] = {}
        self._actions_by_id: dict[int, ActionPage] = {}
        self._loaded_keys: dict[int, tuple] = {}
        self._new_tokens = 0
        self._defer = False

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, *args, **kw):
        # A preview saves nothing (django-import-export's dry run without transactions: no
        # savepoint and no write per row); the prefetched dicts answer what the saved rows would
        # have answered. import_data() still runs it in a transaction that is rolled back.
        # A real import runs its rows the same way, recording each save, then writes them in
        # batches (bulk.BulkWriter) if every row is valid: import_file's transaction holds it all.
        using_transactions = False
        self._defer, self._operations = not dry_run, None
        result = super().import_data_inner(
            dataset, dry_run, raise_errors, using_transactions, *args, **kw
        )
        operations, self._operations = self._operations, None
        if operations and not (result.has_errors() or result.has_validation_errors()):
            writer = BulkWriter(
                model=Commitment,
                key=self._key_of,
                loaded_keys=self._loaded_keys,
                log_action=IMPORT_LOG_ACTION,
                log_data={"reason": self.reason},
                user=self.user,
                signal_key=lambda commitment: (commitment.partner_id, commitment.action_id),
                # What a row sets (its columns, the version and the report date), no other field.
                update_fields=[*self._meta.fields, "version", "last_reported_at"],
            )
            try:
                writer.write(operations)
            except DatabaseError as error:
                failure = ValueError(
                    "la base de données a refusé l'enregistrement (conflit avec un enregistrement "
                    f"existant ?) : rien n'a été importé ({error.__class__.__name__})."
                )
                self.handle_import_error(result, failure, raise_errors)
        return result

    def do_instance_save(self, instance, is_create):
        if self._operations is None:
            return super().do_instance_save(instance, is_create)
        self._operations.append(SaveOperation(instance=instance, token=instance._import_token))

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.prefetch(dataset)
        if self._defer:
            self._operations = []

    def prefetch(self, dataset) -> None:
        """Load the commitments the file can reach, with their partner and action."""
        ids: set[int] = set()
        action_ids: set[int] = set()
        for row in dataset.dict:
            raw_id = str(row.get("id") or "").strip()
            if raw_id:
                with contextlib.suppress(ValueError):
                    ids.add(IntegerWidget("Identifiant").clean(raw_id))
            action = str(row.get("action") or "").strip()
            if action:
                with contextlib.suppress(ValueError):
                    action_ids.add(self.lookups.action(action, row).pk)
        queryset = Commitment.objects.select_related("owner__partner_membership")
        by_id = queryset.in_bulk(sorted(ids)) if ids else {}
        action_ids.update(commitment.action_id for commitment in by_id.values())
        ordered = sorted(action_ids)
        for start in range(0, len(ordered), 500):
            for commitment in queryset.filter(action_id__in=ordered[start : start + 500]):
                by_id.setdefault(commitment.pk, commitment)
        actions = self.lookups.loaded_actions()
        if missing := action_ids - actions.keys():
            actions.update(ActionPage.objects.in_bulk(sorted(missing)))
        partners = self.lookups.partners_by_id
        if missing := {c.partner_id for c in by_id.values()} - partners.keys():
            partners = {**partners, **Partner.objects.in_bulk(sorted(missing))}
        for commitment in by_id.values():
            commitment.partner = partners[commitment.partner_id]
            commitment.action = actions[commitment.action_id]
            commitment._import_token = commitment.pk
            self._by_key[self._key_of(commitment)] = commitment
            self._loaded_keys[commitment.pk] = self._key_of(commitment)
        self._by_id = by_id
        self._actions_by_id = {pk: actions[pk] for pk in action_ids}
        self._prefetched = True

    @staticmethod
    def _key_of(commitment) -> tuple:
        return (commitment.partner_id, commitment.action_id, commitment.position)

    def _found(self, commitment: Commitment | None) -> Commitment | None:
        # A copy: a row that fails validation must not change what the next rows find.
        return copy.copy(commitment) if commitment is not None else None

    def find_instance(self, row):
        raw_id = str(row.get("id") or "").strip()
        if raw_id:
            number = IntegerWidget("Identifiant").clean(raw_id)
            if self._prefetched:
                found = self._found(self._by_id.get(number))
            else:
                found = Commitment.objects.filter(pk=number).first()
            if found is None:
                raise ColumnError("id", f"Engagement n° {raw_id} introuvable.")
            return found
        if not str(row.get("rang") or "").strip():
            raise ColumnError(
                "position", "Rang manquant : indiquez le rang ou l'identifiant (« id »)."
            )
        partner = self.lookups.partner(str(row.get("partenaire") or "").strip(), row)
        action = self.lookups.action(str(row.get("action") or "").strip(), row)
        position = IntegerWidget("Rang").clean(row.get("rang"))
        if self._prefetched and action.pk in self._actions_by_id:
            return self._found(self._by_key.get((partner.pk, action.pk, position)))
        return Commitment.objects.filter(partner=partner, action=action, position=position).first()

    # The values the commitment rules look at (engagements.rules); the import sets these.
    RULE_FIELDS = ("status", "progress", "narrative", "evidence_url", "partner")

    def get_instance(self, instance_loader, row):
        found = super().get_instance(instance_loader, row)
        if found is not None:
            # The commitment as it stands before this row (the rules compare against it).
            found._import_before = copy.copy(found)
            found._import_loaded_key = self._key_of(found)
            found._import_loaded = {
                field.attname: getattr(found, field.attname)
                for field in found._meta.fields
                if field.many_to_one
            }
        return found

    def _rule_values(self, instance, skip=()) -> dict:
        return {
            name: getattr(instance, "partner_id" if name == "partner" else name)
            for name in self.RULE_FIELDS
            if name not in skip
        }

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The commitment rules of the form (engagements.rules), then the model's validation."""
        errors = dict(import_validation_errors or {})
        before = getattr(instance, "_import_before", None)
        try:
            cleaned = validate_commitment_change(
                commitment=before,
                changes=self._rule_values(instance, skip=errors),
                reason=self.reason,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(name, messages)
        else:
            for name in ("status", "progress", "narrative", "evidence_url"):
                if name in cleaned:
                    setattr(instance, name, cleaned[name])
        super().validate_instance(instance, errors, validate_unique)

    def clean_instance(self, instance, *, exclude, validate_unique):
        """Django's full_clean(), plus the natural-key check against the prefetched commitments.

        The foreign keys known to exist (the partners and actions loaded for this import, the
        values read from the database) are excluded from full_clean(), which would look each one
        up; the primary key is never imported (no unique check); the constraints are checked by
        validate_constraints() below.
        """
        if not self._prefetched:
            return super().clean_instance(
                instance, exclude=exclude, validate_unique=validate_unique
            )
        errors: dict = {}
        try:
            instance.full_clean(
                exclude=set(exclude) | self._known_references(instance),
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # As Django does: a field already in error is not checked against the constraints.
        invalid = set(exclude) | {name for name in errors if name != NON_FIELD_ERRORS}
        try:
            self.validate_constraints(instance, exclude=invalid)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _known_references(self, instance) -> set[str]:
        """Foreign keys whose value is known to exist, without a query."""
        known_ids = {
            "partner": self.lookups.partners_by_id.keys(),
            "action": self._actions_by_id.keys(),
        }
        loaded = getattr(instance, "_import_loaded", {})
        names = set()
        for field in instance._meta.fields:
            if not field.many_to_one or field.get_limit_choices_to():
                continue
            value = getattr(instance, field.attname)
            if value is None:
                continue
            if value in known_ids.get(field.name, ()) or loaded.get(field.attname) == value:
                names.add(field.name)
        return names

    def validate_constraints(self, instance, *, exclude: set[str]) -> None:
        """Model.validate_constraints(), the natural key answered from the prefetched rows."""
        errors: dict = {}
        using = router.db_for_write(type(instance), instance=instance)
        for model_class, constraints in instance.get_constraints():
            for constraint in constraints:
                if constraint.name in ENFORCED_BY_FIELD_VALIDATORS:
                    continue
                try:
                    if self._is_natural_key(constraint, instance):
                        self._validate_natural_key(constraint, instance, exclude=exclude)
                    else:
                        constraint.validate(model_class, instance, exclude=exclude, using=using)
                except ValidationError as error:
                    # Django's own mapping (Model.validate_constraints).
                    if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _is_natural_key(self, constraint, instance) -> bool:
        return (
            isinstance(constraint, models.UniqueConstraint)
            and tuple(constraint.fields) == NATURAL_KEY
            and constraint.condition is None
            and not constraint.expressions
            and constraint.nulls_distinct is not False
            and instance.action_id in self._actions_by_id
        )

    def _validate_natural_key(self, constraint, instance, *, exclude: set[str]) -> None:
        """The unique constraint on (partner, action, rank), raised as Django words it."""
        if any(name in exclude for name in constraint.fields):
            return
        key = self._key_of(instance)
        if any(value is None for value in key):
            return
        other = self._by_key.get(key)
        if other is None or other._import_token == getattr(instance, "_import_token", None):
            return
        if constraint.violation_error_message == constraint.default_violation_error_message:
            message = instance.unique_error_message(type(instance), constraint.fields)
            raise ValidationError(message, code=message.code)
        raise ValidationError(
            constraint.get_violation_error_message(), code=constraint.violation_error_code
        )

    def save_instance(self, instance, is_create, row, **kwargs):
        if self._prefetched and getattr(instance, "_import_token", None) is None:
            self._new_tokens += 1
            instance._import_token = ("new", self._new_tokens)
        super().save_instance(instance, is_create, row, **kwargs)
        if not self._prefetched:
            return
        # What the database holds now (or would hold, in a preview): the next rows see it.
        token = instance._import_token
        loaded = getattr(instance, "_import_loaded_key", None)
        if loaded is not None and getattr(self._by_key.get(loaded), "_import_token", 0) == token:
            del self._by_key[loaded]
        self._by_key[self._key_of(instance)] = instance
        if instance.pk is not None:
            self._by_id[instance.pk] = instance

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if instance.pk is not None:
            instance.version += 1
            before = getattr(instance, "_import_before", None)
            values = self._rule_values(instance)
            if before is not None and is_progress_report(
                changed_fields(commitment=before, values=values)
            ):
                instance.last_reported_at = timezone.now()
