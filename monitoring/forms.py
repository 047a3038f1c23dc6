"""Forms of the monitoring admin views (filters and campaign opening)."""

import datetime

from django import forms
from django.utils import timezone

from charter.choices import DocumentType
from charter.models import CharterPage, OrientationPage, Partner
from core.params import ModelIdChoiceField
from engagements.choices import CommitmentStatus

from .selectors import Filters

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DashboardFilterForm(forms.Form):
    charter = ModelIdChoiceField(
        label="Charte",
        queryset=CharterPage.objects.filter(document_type=DocumentType.CHARTER).order_by("-pk"),
        required=False,
        empty_label=None,
    )
    orientation = ModelIdChoiceField(
        label="Orientation", queryset=OrientationPage.objects.order_by("path"), required=False
    )
    partner = ModelIdChoiceField(label="Partenaire", queryset=Partner.objects.all(), required=False)
    status = forms.ChoiceField(
        label="Statut", choices=[("", "Tous"), *CommitmentStatus.choices], required=False
    )
    due_from = forms.DateField(label="Échéance à partir du", required=False, widget=DATE_WIDGET)
    due_to = forms.DateField(label="Échéance jusqu'au", required=False, widget=DATE_WIDGET)
    as_of = forms.DateField(
        label="État au",
        required=False,
        widget=DATE_WIDGET,
        help_text="Laisser vide pour l'état actuel.",
    )

    def clean_as_of(self):
        as_of = self.cleaned_data.get("as_of")
        if as_of and as_of > timezone.localdate():
            raise forms.ValidationError("L'état ne peut pas être demandé à une date future.")
        return as_of

    def clean(self):
        cleaned = super().clean()
        due_from, due_to = cleaned.get("due_from"), cleaned.get("due_to")
        if due_from and due_to and due_to < due_from:
            self.add_error("due_to", "La fin de la période doit suivre son début.")
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            orientation=data.get("orientation"),
            partner=data.get("partner"),
            status=data.get("status") or "",
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
        )


class CampaignOpenForm(forms.Form):
    charter = forms.ModelChoiceField(
        label="Charte",
        queryset=CharterPage.objects.filter(document_type=DocumentType.CHARTER).order_by("-pk"),
        empty_label=None,
    )
    year = forms.IntegerField(label="Année évaluée", min_value=1990, max_value=2100)
    deadline = forms.DateField(label="Date limite de mise à jour", widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year - 1 if today.month < 7 else today.year
        self.fields["deadline"].initial = today + datetime.timedelta(days=30)


class CampaignReopenForm(forms.Form):
    deadline = forms.DateField(
        label="Nouvelle date limite de mise à jour",
        widget=DATE_WIDGET,
        help_text="Les partenaires pourront mettre à jour leurs engagements jusqu'à cette date.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = timezone.localdate() + datetime.timedelta(days=7)


class IndicatorValueForm(forms.Form):
    indicator = forms.ModelChoiceField(label="Indicateur", queryset=None)
    year = forms.IntegerField(label="Année", min_value=1990, max_value=2100)
    value = forms.DecimalField(
        label="Valeur", required=False, max_digits=14, decimal_places=2, min_value=0
    )
    narrative = forms.CharField(
        label="Commentaire qualitatif", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(
        label="Source", max_length=255, help_text="Par exemple : tribunal judiciaire, SIAO, CAF."
    )
    recorded_on = forms.DateField(label="Date de la donnée", required=False, widget=DATE_WIDGET)

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators.order_by("name")
        self.fields["year"].initial = timezone.localdate().year - 1
