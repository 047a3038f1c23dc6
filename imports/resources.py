"""django-import-export resources: partners, commitments, lexicon entries, indicator values."""

import contextlib
import copy
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, router
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone
from import_export import fields, resources
from wagtail.log_actions import log

from charter.choices import PartnerKind
from charter.models import ActionPage, CharterPage, Partner
from charter.parsing.cleanup import fold
from engagements.choices import CommitmentStatus
from engagements.models import Commitment
from engagements.rules import (
    OVERDUE_WORDS,
    changed_fields,
    is_progress_report,
    validate_commitment_change,
)
from glossary.models import LexiconEntry
from monitoring.models import Indicator, IndicatorValue

from .widgets import (
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IntegerWidget,
    LookupWidget,
    TextWidget,
    slug_for,
)

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
            return self.find_instance(row)
        except ValueError as error:
            attribute = getattr(error, "attribute", NON_FIELD_ERRORS)
            raise ValidationError({attribute: str(error)}) from error

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

    def after_save_instance(self, instance, row, **kwargs):
        if not kwargs.get("dry_run"):
            log(
                instance=instance,
                action=IMPORT_LOG_ACTION,
                user=self.user,
                data={"reason": self.reason},
            )


def _key(value) -> str:
    return fold(str(value or ""))


class PartnerResource(ImportResource):
    """Partners, identified by their URL identifier, else by their name."""

    name = fields.Field("name", "nom", TextWidget(), saves_null_values=False)
    short_name = fields.Field("short_name", "sigle", TextWidget(), saves_null_values=False)
    slug = fields.Field("slug", "identifiant", TextWidget(), saves_null_values=False)
    kind = fields.Field(
        "kind", "categorie", ChoiceWidget(PartnerKind, "Catégorie"), saves_null_values=False
    )
    website = fields.Field("website", "site_internet", TextWidget(), saves_null_values=False)

    required_columns = ("nom",)
    key_label = "nom de partenaire"

    class Meta(ImportResource.Meta):
        model = Partner
        fields = ("name", "short_name", "slug", "kind", "website")
        import_id_fields = ()

    def natural_key(self, row):
        return (_key(row.get("identifiant")) or _key(row.get("nom")),)

    def find_instance(self, row):
        slug = str(row.get("identifiant") or "").strip()
        if slug:
            found = Partner.objects.filter(slug=slug).first()
            if found is not None:
                return found
        name = str(row.get("nom") or "").strip()
        return Partner.objects.filter(name__iexact=name).first() if name else None

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.short_name:
            instance.short_name = instance.name
        if not instance.slug:
            instance.slug = slug_for(instance.short_name or instance.name)


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
            _key(row.get("partenaire")),
            _key(row.get("action")),
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
        self._new_tokens = 0

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, *args, **kw):
        # A preview saves nothing (django-import-export's dry run without transactions: no
        # savepoint and no write per row); the prefetched dicts answer what the saved rows would
        # have answered. import_data() still runs it in a transaction that is rolled back.
        if dry_run:
            using_transactions = False
        return super().import_data_inner(
            dataset, dry_run, raise_errors, using_transactions, *args, **kw
        )

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.prefetch(dataset)

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
        """Model.full_clean(), step by step, with the prefetched records instead of queries.

        Same errors in the same order: foreign keys known to exist (the partners and actions
        loaded for this import, the values read from the database) are not looked up again, the
        primary key (never imported) needs no unique check, and the constraints are checked
        against the prefetched commitments (any other constraint: by Django).
        """
        if not self._prefetched:
            return super().clean_instance(
                instance, exclude=exclude, validate_unique=validate_unique
            )
        errors: dict = {}
        exclude = set(exclude)
        try:
            self._clean_fields(instance, exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if validate_unique:
            exclude.update(name for name in errors if name != NON_FIELD_ERRORS)
            unique_exclude = set(exclude)
            if instance.pk is None or not instance._state.adding:
                # Django skips an unset pk, and excludes the instance itself from the check.
                unique_exclude.add(instance._meta.pk.name)
            try:
                instance.validate_unique(exclude=unique_exclude)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        exclude.update(name for name in errors if name != NON_FIELD_ERRORS)
        try:
            self._validate_constraints(instance, exclude)
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
            if value in known_ids.get(field.name, ()) or (
                field.attname in loaded and loaded[field.attname] == value
            ):
                names.add(field.name)
        return names

    def _clean_fields(self, instance, exclude: set[str]) -> None:
        """Model.clean_fields(), without the existence query of the known foreign keys."""
        known = self._known_references(instance)
        errors = {}
        for field in instance._meta.fields:
            if field.name in exclude or field.generated:
                continue
            raw_value = getattr(instance, field.attname)
            if field.blank and raw_value in field.empty_values:
                continue
            if isinstance(raw_value, DatabaseDefault):
                continue
            try:
                if field.name in known:
                    value = field.to_python(raw_value)
                    models.Field.validate(field, value, instance)
                    field.run_validators(value)
                else:
                    value = field.clean(raw_value, instance)
                setattr(instance, field.attname, value)
            except ValidationError as error:
                errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)

    def _validate_constraints(self, instance, exclude: set[str]) -> None:
        """Model.validate_constraints(), answered from the prefetched data where it can be."""
        errors: dict = {}
        using = router.db_for_write(type(instance), instance=instance)
        for model_class, constraints in instance.get_constraints():
            for constraint in constraints:
                try:
                    if not self._check_constraint(constraint, instance, exclude):
                        constraint.validate(model_class, instance, exclude=exclude, using=using)
                except ValidationError as error:
                    if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _check_constraint(self, constraint, instance, exclude: set[str]) -> bool:
        """Check a constraint without a query (raising as Django would); False: not possible."""
        if isinstance(constraint, models.UniqueConstraint):
            if (
                tuple(constraint.fields) != ("partner", "action", "position")
                or constraint.condition is not None
                or constraint.expressions
                or constraint.nulls_distinct is False
                or instance.action_id not in self._actions_by_id
            ):
                return False
            if any(name in exclude for name in constraint.fields):
                return True
            key = self._key_of(instance)
            if any(value is None for value in key):
                return True
            other = self._by_key.get(key)
            token = getattr(instance, "_import_token", None)
            if other is not None and other._import_token != token:
                if constraint.violation_error_message == constraint.default_violation_error_message:
                    message = instance.unique_error_message(type(instance), constraint.fields)
                    raise ValidationError(message, code=message.code)
                raise ValidationError(
                    constraint.get_violation_error_message(), code=constraint.violation_error_code
                )
            return True
        if isinstance(constraint, models.CheckConstraint):
            holds = _simple_condition(constraint.condition, instance, exclude)
            if holds is None:
                return False
            if not holds:
                raise ValidationError(
                    constraint.get_violation_error_message(), code=constraint.violation_error_code
                )
            return True
        return False

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        if not self._prefetched:
            return
        # What the database holds now (or would hold, in a preview): the next rows see it.
        token = getattr(instance, "_import_token", None)
        if token is None:
            self._new_tokens += 1
            token = instance._import_token = ("new", self._new_tokens)
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


_SIMPLE_LOOKUPS = {
    "exact": lambda a, b: a == b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
}
_NUMBERS = (int, float, Decimal)


def _simple_condition(condition, instance, exclude: set[str]) -> bool | None:
    """Whether a check constraint made of number comparisons joined by AND holds, as in SQL.

    None when the condition is not that simple (Django then checks it). A comparison with NULL
    passes (Django checks COALESCE(condition, TRUE)); a condition naming an excluded field is
    skipped, as Django does.
    """
    if not isinstance(condition, models.Q) or condition.negated or condition.connector != "AND":
        return None
    checks = []
    for child in condition.children:
        if not isinstance(child, tuple) or not isinstance(child[0], str):
            return None
        lookup, expected = child
        name, _, operator = lookup.partition("__")
        operator = operator or "exact"
        if operator not in _SIMPLE_LOOKUPS:
            return None
        if isinstance(expected, bool) or not isinstance(expected, _NUMBERS):
            return None
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if field.is_relation or not field.concrete:
            return None
        checks.append((field, operator, expected))
    if any(field.name in exclude for field, _operator, _expected in checks):
        return True
    for field, operator, expected in checks:
        value = getattr(instance, field.attname)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, _NUMBERS):
            return None
        if not _SIMPLE_LOOKUPS[operator](value, expected):
            return False
    return True


class LexiconResource(ImportResource):
    """Lexicon entries, identified by (charter, term whatever its case)."""

    charter = fields.Field("charter", "charte", saves_null_values=False)
    term = fields.Field("term", "sigle", TextWidget(), saves_null_values=False)
    definition = fields.Field("definition", "definition", TextWidget(), saves_null_values=False)

    required_columns = ("sigle", "definition")
    key_label = "sigle"

    class Meta(ImportResource.Meta):
        model = LexiconEntry
        fields = ("charter", "term", "definition")
        import_id_fields = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["charter"].widget = LookupWidget(self.lookups.charter)

    def natural_key(self, row):
        charter = self.lookups.row_charter(row)
        return (charter.pk if charter else None, _key(row.get("sigle")))

    def find_instance(self, row):
        charter = self.lookups.row_charter(row)
        if charter is None:
            raise ColumnError(
                "charter", "Indiquez la charte (colonne « charte » ou choix du formulaire)."
            )
        term = str(row.get("sigle") or "").strip()
        return LexiconEntry.objects.filter(charter=charter, term__iexact=term).first()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.charter_id is None and self.lookups.default_charter is not None:
            instance.charter = self.lookups.default_charter


class IndicatorValueResource(ImportResource):
    """Yearly indicator values (aggregated figures), identified by (indicator, year)."""

    indicator = fields.Field("indicator", "indicateur", saves_null_values=False)
    year = fields.Field("year", "annee", IntegerWidget("Année"), saves_null_values=False)
    value = fields.Field("value", "valeur", DecimalWidget("Valeur"), saves_null_values=False)
    narrative = fields.Field("narrative", "commentaire", TextWidget(), saves_null_values=False)
    source = fields.Field("source", "source", TextWidget(), saves_null_values=False)
    recorded_on = fields.Field(
        "recorded_on", "date_de_la_donnee", DateWidget("Date de la donnée"), saves_null_values=False
    )

    required_columns = ("indicateur", "annee")
    key_label = "indicateur et année"

    class Meta(ImportResource.Meta):
        model = IndicatorValue
        fields = ("indicator", "year", "value", "narrative", "source", "recorded_on")
        import_id_fields = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["indicator"].widget = LookupWidget(self.lookups.indicator)

    def natural_key(self, row):
        return (_key(row.get("indicateur")), str(row.get("annee") or "").strip())

    def find_instance(self, row):
        indicator = self.lookups.indicator(str(row.get("indicateur") or "").strip(), row)
        year = IntegerWidget("Année").clean(row.get("annee"))
        if year is None:
            return None
        return IndicatorValue.objects.filter(indicator=indicator, year=year).first()


RESOURCES = {
    "partners": PartnerResource,
    "commitments": CommitmentResource,
    "lexicon": LexiconResource,
    "indicator_values": IndicatorValueResource,
}
