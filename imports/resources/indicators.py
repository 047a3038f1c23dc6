"""Yearly indicator values (aggregated figures), identified by (indicator, year)."""

from import_export import fields

from monitoring.models import IndicatorValue

from ..widgets import DateWidget, DecimalWidget, IntegerWidget, LookupWidget, TextWidget
from .base import ImportResource, folded


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
        return (folded(row.get("indicateur")), str(row.get("annee") or "").strip())

    def find_instance(self, row):
        indicator = self.lookups.indicator(str(row.get("indicateur") or "").strip(), row)
        year = IntegerWidget("Année").clean(row.get("annee"))
        if year is None:
            return None
        return IndicatorValue.objects.filter(indicator=indicator, year=year).first()
