"""The signed copies' document chooser: Wagtail's document chooser on one collection.

Wagtail's own chooser (`/admin/documents/chooser/`) lists every collection the user may choose
from: for the secretariat (rights on the root collection), every partner's private evidence too.
This chooser lists, returns and uploads into « Exemplaires signés » only
(charter/documents.py), and only for those who may record signatures (403 for anyone else).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import cached_property
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.documents.views import chooser
from wagtail.models import Collection

from ..documents import signed_copies_collection_ensure
from ..selectors import may_record_signatures


class SignedCopyUploadForm(get_document_form(get_document_model())):
    """Wagtail's upload form, filed in « Exemplaires signés » whatever the user's collections."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.collections = Collection.objects.filter(pk=signed_copies_collection_ensure().pk)
        self.fields.pop("collection", None)
        self.fields.pop("tags", None)  # a signed copy is found by its title, never by keywords

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and not file.name.lower().endswith(".pdf"):
            raise forms.ValidationError("L'exemplaire signé doit être un fichier PDF.")
        return file


class SignedCopyMixin:
    """403 unless the user records signatures; documents of « Exemplaires signés » only."""

    def dispatch(self, request, *args, **kwargs):
        if not may_record_signatures(user=request.user):
            raise PermissionDenied
        self.signed_copies = signed_copies_collection_ensure()
        return super().dispatch(request, *args, **kwargs)

    def only_signed_copies(self, queryset):
        return queryset.filter(collection=self.signed_copies)

    def get_creation_form_class(self):
        return SignedCopyUploadForm


class SignedCopyListingMixin(SignedCopyMixin):
    results_template_name = "charter/signatures/chooser_results.html"

    @cached_property
    def collections(self):
        return None  # one collection: no collection filter, no collection column

    def get_object_list(self):
        return self.only_signed_copies(super().get_object_list())


class ChooseView(SignedCopyListingMixin, chooser.DocumentChooseView):
    pass


class ChooseResultsView(SignedCopyListingMixin, chooser.DocumentChooseResultsView):
    pass


class ChosenView(SignedCopyMixin, chooser.DocumentChosenView):
    def get_object(self, pk):
        document = super().get_object(pk)
        if document.collection_id != self.signed_copies.pk:
            raise Http404("Ce document n'est pas un exemplaire signé.")
        return document


class ChosenMultipleView(SignedCopyMixin, chooser.DocumentChosenMultipleView):
    def get_objects(self, pks):
        return self.only_signed_copies(super().get_objects(pks))


class UploadView(SignedCopyMixin, chooser.DocumentChooserUploadView):
    pass


class SignedCopyChooserViewSet(chooser.DocumentChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
    create_view_class = UploadView
    register_widget = False  # Wagtail's own chooser stays the default for other document fields
    choose_one_text = "Choisir ou téléverser l'exemplaire signé"
    choose_another_text = "Changer d'exemplaire signé"
    edit_item_text = "Modifier ce document"
    create_action_label = "Téléverser"
    create_action_clicked_label = "Téléversement…"


signed_copy_chooser_viewset = SignedCopyChooserViewSet(
    "signed_copy_chooser", model=get_document_model(), url_prefix="exemplaires-signes"
)


class SignedCopyChooser(signed_copy_chooser_viewset.widget_class):
    """The chooser widget; shows the documents of `known` (by id) without a query per row."""

    known: dict = {}

    def get_instance(self, value):
        try:
            return self.known[int(value)]
        except (KeyError, TypeError, ValueError):
            return super().get_instance(value)
