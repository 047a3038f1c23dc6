"""Forms of the charter app's admin screens: the signatures (one row per signatory, or one)."""

from django import forms
from django.db.models import Q
from wagtail.admin.widgets import AdminDateInput
from wagtail.documents import get_document_model

from .choices import SignatureStatus
from .documents import SIGNED_COPIES_COLLECTION
from .models import Signature
from .views.chooser import SignedCopyChooser

SIGNED_SCAN_INVALID = "Choisissez un document de la collection « Exemplaires signés »."


def signed_scan_choices(*, keep_id: int | None = None):
    """The documents a signed scan may be: « Exemplaires signés », or the one already attached."""
    in_collection = Q(collection__depth=2, collection__name=SIGNED_COPIES_COLLECTION)
    return get_document_model().objects.filter(
        in_collection | Q(pk=keep_id) if keep_id else in_collection
    )


class SignedScanMixin:
    """The signed scan through the signed copies' chooser, never a list of every document."""

    def limit_signed_scan(self, keep_id: int | None, known: dict | None = None) -> None:
        field = self.fields["signed_scan"]
        field.queryset = signed_scan_choices(keep_id=keep_id)
        field.widget = SignedCopyChooser()
        field.widget.known = known or {}
        field.error_messages["invalid_choice"] = SIGNED_SCAN_INVALID


class SignatureRowForm(SignedScanMixin, forms.Form):
    """One signatory's signature on the charter's signatures screen."""

    status = forms.ChoiceField(label="État", choices=SignatureStatus.choices)
    signed_on = forms.DateField(label="Date de signature", required=False, widget=AdminDateInput)
    signer_name = forms.CharField(label="Nom du signataire", max_length=160, required=False)
    signer_title = forms.CharField(label="Qualité du signataire", max_length=160, required=False)
    signed_scan = forms.ModelChoiceField(
        label="Exemplaire signé (PDF)", queryset=get_document_model().objects.none(), required=False
    )

    def __init__(self, *args, known_documents: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_signed_scan(self.initial.get("signed_scan"), known_documents)


class BaseSignatureFormSet(forms.BaseFormSet):
    """Exactly one row per signatory (`min_num`): a row added or removed is refused."""

    def clean(self):
        super().clean()
        if self.total_form_count() != self.min_num:
            raise forms.ValidationError(
                "Le nombre de lignes ne correspond plus aux signataires de la charte : "
                "rechargez la page."
            )


def signature_formset_class(*, rows: int) -> type[forms.BaseFormSet]:
    """A formset of exactly `rows` signature rows (one per signatory; none added nor removed)."""
    return forms.formset_factory(
        SignatureRowForm,
        formset=BaseSignatureFormSet,
        extra=0,
        min_num=rows,
        max_num=rows,
        absolute_max=rows,
        validate_max=True,
    )


class SignatureForm(SignedScanMixin, forms.ModelForm):
    """The single-signature form of « Signatures » (add, edit)."""

    class Meta:
        model = Signature
        fields = [
            "charter",
            "partner",
            "status",
            "signer_name",
            "signer_title",
            "signed_on",
            "signed_scan",
        ]
        widgets = {"signed_on": AdminDateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_signed_scan(self.instance.signed_scan_id)
