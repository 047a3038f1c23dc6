"""« À placer »: the lines a charter import could not place, resolved by the secretariat."""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from charter.models import ActionPage, CharterPage, Partner
from core.admin import DATA_MENU

from .choices import UnplacedStatus
from .models import UnplacedLine
from .permissions import unplaced_permission_policy
from .services import unplaced_assign, unplaced_discard, unplaced_to_preamble

ASSIGN, PREAMBLE = "assign", "preamble"


class UnplacedFilterSet(WagtailFilterSet):
    charter = django_filters.ModelChoiceFilter(
        label="Charte",
        queryset=CharterPage.objects.filter(unplaced_lines__isnull=False).distinct(),
        empty_label="Toutes",
    )
    status = django_filters.ChoiceFilter(
        label="État", choices=UnplacedStatus.choices, empty_label="Tous"
    )

    class Meta:
        model = UnplacedLine
        fields = ["charter", "status"]


class UnplacedResolveForm(WagtailAdminModelForm):
    """Place a line: a commitment of a partner for an action, or the preamble."""

    resolution = forms.ChoiceField(
        label="Que faire de cette ligne ?",
        choices=[
            (ASSIGN, "En faire un engagement d'un partenaire pour une action"),
            (PREAMBLE, "L'ajouter au préambule de la charte (nouveau brouillon)"),
        ],
        widget=forms.RadioSelect,
        initial=ASSIGN,
    )
    action = forms.ModelChoiceField(
        label="Action",
        queryset=ActionPage.objects.none(),
        required=False,
        empty_label="Choisir une action",
    )
    partner = forms.ModelChoiceField(
        label="Partenaire",
        queryset=Partner.objects.none(),
        required=False,
        empty_label="Choisir un partenaire",
    )

    class Meta:
        model = UnplacedLine
        fields = ["resolution", "action", "partner"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        charter = self.instance.charter
        self.fields["action"].queryset = (
            ActionPage.objects.descendant_of(charter).order_by("path").specific()
        )
        self.fields["action"].label_from_instance = lambda a: f"Action {a.code} : {a.title}"
        signatories = Partner.objects.filter(signatory_entries__charter=charter)
        partners = signatories if signatories.exists() else Partner.objects.all()
        self.fields["partner"].queryset = partners.order_by("short_name", "name").distinct()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("resolution") == ASSIGN:
            for name, label in (("action", "l'action"), ("partner", "le partenaire")):
                if not cleaned.get(name):
                    self.add_error(name, f"Choisissez {label} de cet engagement.")
        return cleaned


class UnplacedIndexView(generic.IndexView):
    page_title = "Lignes à placer"
    default_ordering = ["charter", "position"]

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("charter")

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        # By default, what is left to do.
        if kwargs["data"] is not None and "status" not in kwargs["data"]:
            kwargs["data"] = kwargs["data"].copy()
            kwargs["data"]["status"] = UnplacedStatus.TO_PLACE
        return kwargs


class UnplacedResolveView(generic.EditView):
    """The edit view of a line is where it is placed; a resolved line is only shown."""

    template_name = "imports/unplaced_resolve.html"
    success_message = "Ligne placée : %(object)s"
    error_message = "La ligne n'a pas pu être placée : voyez les erreurs ci-dessous."

    def get_page_subtitle(self):
        return self.object.location.capitalize()

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.status != UnplacedStatus.TO_PLACE:
            messages.error(request, "Cette ligne a déjà été traitée : elle ne peut plus changer.")
            return redirect(self.get_edit_url())
        return super().post(request, *args, **kwargs)

    def save_instance(self):
        data = self.form.cleaned_data
        if data["resolution"] == ASSIGN:
            return unplaced_assign(
                line=self.object,
                action=data["action"],
                partner=data["partner"],
                user=self.request.user,
            )
        return unplaced_to_preamble(line=self.object, user=self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
            return self.form_invalid(form)

    def get_success_buttons(self):
        return []  # a placed line cannot be edited again

    def get_success_url(self):
        return reverse(self.index_url_name) + f"?charter={self.object.charter_id}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["line"] = self.object
        context["is_resolved"] = self.object.status != UnplacedStatus.TO_PLACE
        context["discard_url"] = reverse("imports_unplaced:discard", args=[self.object.pk])
        return context


def unplaced_discard_view(request, pk: int):
    """Confirm, then discard a line (it stays listed as « Écartée »)."""
    line = get_object_or_404(UnplacedLine.objects.select_related("charter"), pk=pk)
    if not unplaced_permission_policy.user_has_permission_for_instance(
        request.user, "change", line
    ):
        raise PermissionDenied
    edit_url = reverse("imports_unplaced:edit", args=[line.pk])
    if line.status != UnplacedStatus.TO_PLACE:
        messages.error(request, "Cette ligne a déjà été traitée : elle ne peut plus changer.")
        return redirect(edit_url)
    if request.method == "POST":
        try:
            unplaced_discard(line=line, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect(edit_url)
        messages.success(request, f"Ligne écartée : {line}")
        return redirect(reverse("imports_unplaced:index") + f"?charter={line.charter_id}")
    return TemplateResponse(
        request, "imports/unplaced_discard.html", {"line": line, "edit_url": edit_url}
    )


class UnplacedLineViewSet(ModelViewSet):
    model = UnplacedLine
    name = "imports_unplaced"
    url_prefix = "imports/a-placer"
    icon = "warning"
    menu_label = "Lignes à placer"
    menu_hook = DATA_MENU.hook
    menu_order = 3
    add_to_admin_menu = True
    index_view_class = UnplacedIndexView
    edit_view_class = UnplacedResolveView
    filterset_class = UnplacedFilterSet
    copy_view_enabled = False
    list_per_page = 50
    edit_handler = ObjectList(
        [FieldPanel("resolution"), FieldPanel("action"), FieldPanel("partner")],
        base_form_class=UnplacedResolveForm,
    )
    # Three columns, so the list fits a phone; the charter is a filter, the reason on the line.
    list_display = [
        TitleColumn(
            "location",
            label="Emplacement",
            accessor=lambda line: line.location.capitalize(),
            url_name="imports_unplaced:edit",
        ),
        Column("text", label="Texte", accessor="text"),
        Column("status", label="État", accessor="get_status_display"),
    ]

    def get_permissions_to_register(self):
        # Who may resolve the lines is who may import (imports.permissions), not a model right.
        return Permission.objects.none()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("discard/<int:pk>/", unplaced_discard_view, name="discard"),
        ]
