"""One screen to record every signature of a charter (issue 14): one row per signatory."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.documents import get_document_model

from core.forms import add_service_errors

from ..choices import SignatureStatus
from ..forms import signature_formset_class
from ..models import CharterPage, Partner
from ..selectors import may_record_signatures, signature_states
from ..services import signature_record


class _RollBack(Exception):
    """A row was refused: undo the rows already recorded (all-or-nothing)."""


def recorded_message(count: int) -> str:
    """The French confirmation after saving the screen, with its plurals."""
    if count == 0:
        return "Aucune signature n'a changé : rien n'a été enregistré."
    if count == 1:
        return "1 signature enregistrée."
    return f"{count} signatures enregistrées."


class SignatureRecordView(WagtailAdminTemplateMixin, View):
    """The signatures of one charter: state, date, signer and signed scan, saved together."""

    template_name = "charter/signatures/record.html"
    header_icon = "edit"
    page_title = "Saisir les signatures"

    def dispatch(self, request, *args, **kwargs):
        if not may_record_signatures(user=request.user):
            raise PermissionDenied
        self.charter = get_object_or_404(CharterPage, pk=kwargs["charter_id"])
        states = signature_states(charter=self.charter)
        partners = Partner.objects.in_bulk([signatory.partner_id for signatory, _r in states])
        for signatory, _record in states:
            signatory.partner = partners[signatory.partner_id]
        self.states = states
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.charter.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("signatures:index"), "label": "Signatures"},
            {"url": "", "label": f"Saisir les signatures : {self.charter.title}"},
        ]

    @property
    def header_buttons(self):
        listing = reverse("signatures:index") + f"?charter={self.charter.pk}"
        return [HeaderButton("Liste des signatures", url=listing, icon_name="list-ul")]

    @property
    def header_more_buttons(self):
        edit = reverse("wagtailadmin_pages:edit", args=[self.charter.pk])
        return [Button("Modifier la charte", url=edit, icon_name="edit")]

    def initial(self) -> list[dict]:
        rows = []
        for signatory, record in self.states:
            if record is None:
                rows.append(
                    {"status": SignatureStatus.PENDING, "signer_title": signatory.authority_title}
                )
            else:
                rows.append(
                    {
                        "status": record.status,
                        "signed_on": record.signed_on,
                        "signer_name": record.signer_name,
                        "signer_title": record.signer_title,
                        "signed_scan": record.signed_scan_id,
                    }
                )
        return rows

    def formset(self, data=None):
        scans = [record.signed_scan_id for _s, record in self.states if record is not None]
        documents = get_document_model().objects.in_bulk([pk for pk in scans if pk])
        return signature_formset_class(rows=len(self.states))(
            data,
            initial=self.initial(),
            prefix="signatures",
            form_kwargs={"known_documents": documents},
        )

    def render(self, formset):
        context = self.get_context_data(
            charter=self.charter,
            formset=formset,
            rows=[
                (form, signatory, record)
                for form, (signatory, record) in zip(formset.forms, self.states, strict=True)
            ],
        )
        return self.render_to_response(context)

    def get(self, request, *args, **kwargs):
        return self.render(self.formset())

    def post(self, request, *args, **kwargs):
        formset = self.formset(request.POST)
        if not formset.is_valid():
            if len(formset.forms) != len(self.states):  # rows forged or signatories changed
                messages.error(request, " ".join(formset.non_form_errors()))
                return self.render(self.formset())
            messages.error(request, "Aucune signature n'a été enregistrée : corrigez les erreurs.")
            return self.render(formset)
        changed = [
            (form, signatory)
            for form, (signatory, _record) in zip(formset.forms, self.states, strict=True)
            if form.has_changed()
        ]
        try:
            with transaction.atomic():
                failed = False
                for form, signatory in changed:
                    data = form.cleaned_data
                    try:
                        signature_record(
                            charter=self.charter,
                            partner=signatory.partner,
                            user=request.user,
                            status=data["status"],
                            signer_name=data["signer_name"],
                            signer_title=data["signer_title"],
                            signed_on=data["signed_on"],
                            signed_scan=data["signed_scan"],
                        )
                    except ValidationError as error:
                        add_service_errors(form, error)
                        failed = True
                if failed:
                    raise _RollBack
        except _RollBack:
            messages.error(request, "Aucune signature n'a été enregistrée : corrigez les erreurs.")
            return self.render(formset)
        messages.success(request, recorded_message(len(changed)))
        return redirect("signatures:record", charter_id=self.charter.pk)
