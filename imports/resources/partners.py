"""Partners, identified by their URL identifier, else by their name."""

from import_export import fields

from charter.choices import PartnerKind
from charter.models import Partner

from ..widgets import ChoiceWidget, TextWidget, slug_for
from .base import ImportResource, folded


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
    # The open-data file (opendata.selectors.partner_records), re-imported as exported.
    label_columns = {"categorie_libelle": "categorie"}

    class Meta(ImportResource.Meta):
        model = Partner
        fields = ("name", "short_name", "slug", "kind", "website")
        import_id_fields = ()

    def natural_key(self, row):
        return (folded(row.get("identifiant")) or folded(row.get("nom")),)

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
