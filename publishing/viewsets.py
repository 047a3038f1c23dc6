"""Wagtail admin presentation of charter versions: listing, freezing, comparing, DOCX."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import models as model_views
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton, ListingButton

from charter.models import CharterPage
from core import params as query
from core.admin import CHARTER_MENU
from core.forms import add_service_errors
from core.params import BadParameter

from .diff import compare
from .docx.export import DOCX_CONTENT_TYPE, DocxExportError, export_docx
from .docx.pdf import PDF_CONTENT_TYPE, PdfExportError, export_pdf
from .models import CharterVersion
from .services import version_create
from .views import docx_filename

CREATE_PANELS = ObjectList(
    [
        FieldPanel("charter"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("effective_date")]),
        FieldPanel("is_public"),
    ]
)
EDIT_PANELS = ObjectList([FieldPanel("is_public"), FieldPanel("signed_copy")])


class CharterVersionIndexView(model_views.IndexView):
    def get_add_url(self):
        """« Ajouter » from a listing filtered on a charter freezes that charter."""
        url = super().get_add_url()
        charter = self.request.GET.get("charter", "")
        return f"{url}?charter={charter}" if url and charter.isdigit() else url

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(
            ListingButton(
                "Télécharger (DOCX)",
                url=reverse("charter_versions:docx", args=[instance.pk]),
                icon_name="download",
                priority=5,
            )
        )
        buttons.append(
            ListingButton(
                "Télécharger (PDF/A)",
                url=reverse("charter_versions:pdf", args=[instance.pk]),
                icon_name="download",
                priority=5,
            )
        )
        buttons.append(
            ListingButton(
                "Comparer avec une autre version",
                url=reverse("charter_versions:compare") + f"?a={instance.pk}",
                icon_name="doc-full",
                priority=6,
            )
        )
        return buttons

    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                "Comparer deux versions",
                url=reverse("charter_versions:compare"),
                icon_name="doc-full",
            ),
        ]


class CharterVersionCreateView(model_views.CreateView):
    def get_initial(self):
        """Freezing the charter in force (CharterPage.in_force) defaults to a public version.

        The charter comes from `?charter=<id>`, or is the one charter in force; any other
        charter keeps the model's default (not public).
        """
        initial = super().get_initial()
        try:
            charter_id = int(self.request.GET.get("charter", ""))
        except ValueError:
            in_force = list(CharterPage.objects.filter(in_force=True).values_list("pk", flat=True))
            charter_id = in_force[0] if len(in_force) == 1 else None
        if charter_id is not None:
            initial["charter"] = charter_id
            initial["is_public"] = CharterPage.objects.filter(pk=charter_id, in_force=True).exists()
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        return version_create(
            charter=data["charter"],
            name=data["name"],
            effective_date=data["effective_date"],
            is_public=data["is_public"],
            user=self.request.user,
        )

    def get_success_message(self, instance):
        message = super().get_success_message(instance)
        if instance.drafts:
            message = (
                f"{message} Elle fige aussi du contenu non publié : "
                + " ; ".join(instance.drafts)
                + ". Elle ne pourra pas être rendue visible sur le site public."
            )
        return message

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)


class CharterVersionViewSet(ModelViewSet):
    model = CharterVersion
    icon = "doc-full-inverse"
    menu_hook = CHARTER_MENU.hook
    menu_label = "Versions"
    menu_order = 6
    name = "charter_versions"
    index_view_class = CharterVersionIndexView
    add_view_class = CharterVersionCreateView
    list_display = [
        "name",
        "charter",
        "effective_date",
        "is_public",
        Column("short_fingerprint", label="Empreinte"),
        "created_by",
    ]
    list_filter = ["charter", "is_public"]
    list_export = ["charter", "name", "effective_date", "is_public", "fingerprint", "created_at"]
    export_filename = "versions"
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        panels = EDIT_PANELS if for_update else CREATE_PANELS
        return panels.bind_to_model(CharterVersion).get_form_class()

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(
            panel=CREATE_PANELS.bind_to_model(CharterVersion), **kwargs
        )

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            panel=EDIT_PANELS.bind_to_model(CharterVersion), **kwargs
        )

    def docx_view(self, request, pk):
        """Download a version's DOCX (from the fingerprint cache)."""
        if not self.permission_policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        version = get_object_or_404(CharterVersion, pk=pk)
        try:
            exported = export_docx(version.snapshot, fingerprint=version.fingerprint)
        except DocxExportError as error:
            messages.error(request, f"« {version.name} » : {error}")
            return redirect(self.get_url_name("index"))
        return FileResponse(
            exported.path.open("rb"),
            as_attachment=True,
            filename=docx_filename(version),
            content_type=DOCX_CONTENT_TYPE,
        )

    def pdf_view(self, request, pk):
        """Download a version's PDF/A (LibreOffice; a clear message when it is absent)."""
        if not self.permission_policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        version = get_object_or_404(CharterVersion, pk=pk)
        try:
            exported = export_pdf(version.snapshot, fingerprint=version.fingerprint)
        except (DocxExportError, PdfExportError) as error:
            messages.error(request, f"« {version.name} » : {error}")
            return redirect(self.get_url_name("index"))
        return FileResponse(
            exported.path.open("rb"),
            as_attachment=True,
            filename=docx_filename(version, "pdf"),
            content_type=PDF_CONTENT_TYPE,
        )

    def compare_view(self, request):
        """Clause-level differences between two versions."""
        if not self.permission_policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        versions = list(
            CharterVersion.objects.select_related("charter").order_by("-effective_date")
        )
        by_pk = {v.pk: v for v in versions}
        status = 200
        try:
            chosen = {name: query.integer(request.GET, name) for name in ("a", "de")}
            unknown = [pk for pk in chosen.values() if pk is not None and pk not in by_pk]
            if unknown:
                raise BadParameter(
                    f"La version n° {unknown[0]} n'existe pas : choisissez les versions à "
                    "comparer dans les listes."
                )
        except BadParameter as error:
            messages.error(request, str(error))
            chosen, status = {}, 400
        new = by_pk.get(chosen.get("a")) or (versions[0] if versions else None)
        old = by_pk.get(chosen.get("de"))
        if old is None and new is not None:
            old = next(
                (
                    v
                    for v in versions
                    if v.charter_id == new.charter_id and v.effective_date < new.effective_date
                ),
                None,
            )
        sections = compare(old.snapshot, new.snapshot) if old and new else []
        return render(
            request,
            "publishing/admin/compare.html",
            {"versions": versions, "old": old, "new": new, "sections": sections},
            status=status,
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("docx/<int:pk>/", self.docx_view, name="docx"),
            path("pdf/<int:pk>/", self.pdf_view, name="pdf"),
            path("compare/", self.compare_view, name="compare"),
        ]
