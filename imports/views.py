"""Wagtail admin views: upload → dry-run preview → confirm, for data files and charter documents."""

import base64

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.defaults import permission_denied
from wagtail.admin import messages

from charter.models import CharterPage
from core.text import count_of

from .choices import ImportKind
from .forms import CharterImportForm, DataImportForm
from .parsing import DocumentError, charter_document
from .permissions import can_import
from .preview import build_preview, totals_text
from .reading import MAX_IMPORT_BYTES, size_message
from .services import charter_import_save, existing_partner_names, import_file

SIGNING_SALT = "imports.payload"


def _forbidden(request):
    return permission_denied(request, PermissionDenied())


def _pack(**values) -> str:
    return signing.dumps(values, salt=SIGNING_SALT, compress=True)


def _unpack(token: str) -> dict:
    return signing.loads(token, salt=SIGNING_SALT, max_age=3600)


def _read_upload(form) -> tuple[str, bytes]:
    upload = form.cleaned_data["file"]
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(size_message(upload.size))
    return upload.name, upload.read()


def data_import_view(request):
    """Upload a file, preview the import (dry run), then confirm it."""
    if not can_import(request.user):
        return _forbidden(request)
    context = {"max_mb": MAX_IMPORT_BYTES // 1_000_000, "kinds": ImportKind}
    if request.method == "POST" and "payload" in request.POST:
        try:
            payload = _unpack(request.POST["payload"])
        except signing.BadSignature:
            messages.error(request, "La confirmation a expiré : déposez le fichier à nouveau.")
            return redirect("imports_data")
        charter = CharterPage.objects.filter(pk=payload.get("charter")).first()
        report = import_file(
            kind=payload["kind"],
            filename=payload["filename"],
            data=base64.b64decode(payload["data"]),
            user=request.user,
            dry_run=False,
            charter=charter,
        )
        if report.written:
            messages.success(
                request, f"Import terminé : {totals_text(report.totals, with_errors=False)}."
            )
            return redirect("imports_data")
        context.update(form=DataImportForm(), report=report, preview=build_preview(report))
        return TemplateResponse(request, "imports/data_import.html", context)
    form = DataImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            filename, data = _read_upload(form)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            charter = form.cleaned_data.get("charter")
            report = import_file(
                kind=form.cleaned_data["kind"],
                filename=filename,
                data=data,
                user=request.user,
                dry_run=True,
                charter=charter,
            )
            context.update(report=report, preview=build_preview(report))
            if report.ok:
                context["payload"] = _pack(
                    kind=report.kind,
                    filename=filename,
                    charter=charter.pk if charter else None,
                    data=base64.b64encode(data).decode("ascii"),
                )
    context["form"] = form
    return TemplateResponse(request, "imports/data_import.html", context)


def charter_import_view(request):
    """Upload a charter document, see what was found (and not placed), then save a draft."""
    if not can_import(request.user):
        return _forbidden(request)
    context: dict = {}
    if request.method == "POST" and "payload" in request.POST:
        try:
            payload = _unpack(request.POST["payload"])
        except signing.BadSignature:
            messages.error(request, "La confirmation a expiré : déposez le document à nouveau.")
            return redirect("imports_charter")
        try:
            document = charter_document(
                filename=payload["filename"], data=base64.b64decode(payload["data"])
            )
        except DocumentError as error:
            messages.error(request, str(error))
            return redirect("imports_charter")
        try:
            charter = charter_import_save(
                document=document,
                filename=payload["filename"],
                user=request.user,
                title=payload["title"],
                territory=payload["territory"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("imports_charter")
        messages.success(
            request,
            f"La charte « {charter.title} » a été enregistrée comme brouillon non publié.",
        )
        if unplaced := len(document.unplaced):
            messages.warning(
                request,
                f"{count_of(unplaced, 'ligne', 'lignes')} à placer : affectez-les à une action, "
                "ajoutez-les au préambule ou écartez-les.",
                buttons=[
                    messages.button(
                        reverse("imports_unplaced:index") + f"?charter={charter.pk}",
                        "Voir les lignes à placer",
                    )
                ],
            )
        return redirect("wagtailadmin_explore", charter.pk)
    form = CharterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            filename, data = _read_upload(form)
            document = charter_document(filename=filename, data=data)
        except ValidationError as error:
            form.add_error("file", error)
        except DocumentError as error:
            form.add_error("file", str(error))
        else:
            matched = existing_partner_names(document=document)
            context.update(
                document=document,
                partners=[
                    (p, matched.get(i), len(document.commitments_of(i)))
                    for i, p in enumerate(document.partners)
                ],
                title=form.cleaned_data["title"] or document.title or "Charte importée",
                can_save=bool(document.orientations or document.commitments),
                shared=[
                    (
                        commitment,
                        "tous les signataires"
                        if commitment.all_signatories
                        else ", ".join(
                            document.partners[i].short_name for i in commitment.partners
                        ),
                    )
                    for commitment in document.shared_commitments
                ],
                signatories=[
                    (document.partners[s.partner], s.copilot) for s in document.signatories
                ],
                payload=_pack(
                    filename=filename,
                    title=form.cleaned_data["title"],
                    territory=form.cleaned_data["territory"],
                    data=base64.b64encode(data).decode("ascii"),
                ),
            )
    context["form"] = form
    return TemplateResponse(request, "imports/charter_import.html", context)
