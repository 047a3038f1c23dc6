"""django-import-export resources: partners, commitments, lexicon entries, indicator values."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from import_export import fields, resources
from wagtail.log_actions import log

from charter.choices import PartnerKind
from charter.models import ActionPage, CharterPage, Partner
from charter.parsing.cleanup import fold
from engagements.choices import COMMITMENT_STATUS_TRANSITIONS, CommitmentStatus
from engagements.models import Commitment, Indicator, IndicatorValue
from glossary.models import LexiconEntry

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
        for partner in Partner.objects.all():
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
        try:
            super().validate_instance(
                instance, {name: list(m) for name, m in unreadable.items()}, validate_unique
            )
        except ValidationError as error:
            errors = {
                name: messages
                for name, messages in error.error_dict.items()
                if name not in unreadable
            }
            errors.update(unreadable)
            raise ValidationError(errors) from error

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
            refuse=dict.fromkeys(
                ("en retard", "en_retard", "overdue", "late"),
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

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["partner"].widget = LookupWidget(self.lookups.partner)
        self.fields["action"].widget = LookupWidget(self.lookups.action)

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

    def find_instance(self, row):
        raw_id = str(row.get("id") or "").strip()
        if raw_id:
            number = IntegerWidget("Identifiant").clean(raw_id)
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
        return Commitment.objects.filter(partner=partner, action=action, position=position).first()

    def get_instance(self, instance_loader, row):
        found = super().get_instance(instance_loader, row)
        if found is not None:
            found._import_previous_status = found.status
        return found

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        previous = getattr(instance, "_import_previous_status", None)
        if previous and instance.status != previous and "status" not in errors:
            allowed = COMMITMENT_STATUS_TRANSITIONS[CommitmentStatus(previous)]
            if instance.status not in allowed:
                errors["status"] = [
                    f"Un engagement « {CommitmentStatus(previous).label} » ne peut pas passer "
                    f"à « {CommitmentStatus(instance.status).label} »."
                ]
        super().validate_instance(instance, errors, validate_unique)

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if instance.pk is not None:
            instance.version += 1
            instance.last_reported_at = timezone.now()


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
