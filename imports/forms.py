"""Upload forms of the import views."""

from django import forms
from django.conf import settings

from charter.models import CharterPage

from .choices import ImportKind

DATA_KINDS = [(k.value, k.label) for k in ImportKind if k != ImportKind.CHARTER]


class DataImportForm(forms.Form):
    kind = forms.ChoiceField(label="Données à importer", choices=DATA_KINDS)
    charter = forms.ModelChoiceField(
        label="Charte",
        queryset=CharterPage.objects.order_by("-first_published_at", "title"),
        required=False,
        help_text="Pour les engagements et le lexique, quand le fichier n'a pas de colonne "
        "« charte ».",
    )
    file = forms.FileField(label="Fichier (CSV, XLSX ou JSON)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = f"{settings.IMPORT_MAX_ROWS:,}".replace(",", "\u202f")
        self.fields["file"].help_text = (
            "CSV en UTF-8 ou Windows-1252, séparateur virgule ou point-virgule ; 2 Mo au plus, "
            f"{rows} lignes et {settings.IMPORT_MAX_COLUMNS} colonnes au plus. Une cellule vide "
            "laisse la valeur existante inchangée."
        )


class CharterImportForm(forms.Form):
    file = forms.FileField(
        label="Document de la charte (DOCX, PDF, Markdown ou texte)",
        help_text="2 Mo au plus. Le document est analysé, puis vous confirmez : la charte est "
        "enregistrée comme un nouveau brouillon, non publié.",
    )
    title = forms.CharField(
        label="Titre de la nouvelle charte",
        required=False,
        max_length=255,
        help_text="Laissez vide pour reprendre le titre trouvé dans le document.",
    )
    territory = forms.CharField(label="Territoire", max_length=120, initial="Département")
