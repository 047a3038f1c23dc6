"""Lexicon entries, identified by (charter, term whatever its case)."""

from import_export import fields

from glossary.models import LexiconEntry

from ..widgets import LookupWidget, TextWidget
from .base import ColumnError, ImportResource, folded


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
        return (charter.pk if charter else None, folded(row.get("sigle")))

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
