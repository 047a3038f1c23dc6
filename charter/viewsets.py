"""Wagtail admin presentation of the charter app (partners, actions)."""

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.ui.tables.pages import PageTitleColumn
from wagtail.admin.views.generic import models as model_views
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.admin.widgets import Button, ButtonWithDropdown, HeaderButton
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import SnippetViewSet

from core import params as query
from core.admin import CHARTER_MENU
from core.choosers import ListingPermissionChooserViewSet
from core.forms import add_service_errors
from core.params import BadParameter

from .choices import PartnerKind, SignatureStatus
from .forms import SignatureForm
from .models import ActionPage, CharterPage, OrientationPage, Partner, Signature
from .selectors import may_record_signatures
from .services import signature_record
from .views.signatures import SignatureRecordView

RECORD_LABEL = "Saisir les signatures"


class PartnerFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label="Catégorie", choices=PartnerKind.choices)

    class Meta:
        model = Partner
        fields = ["kind"]


class PartnerViewSet(SnippetViewSet):
    model = Partner
    chooser_viewset_class = ListingPermissionChooserViewSet
    icon = "group"
    menu_hook = CHARTER_MENU.hook
    menu_label = "Partenaires"
    menu_order = 2
    list_display = ["name", "short_name", "kind"]
    filterset_class = PartnerFilterSet
    list_export = ["name", "short_name", "kind", "website"]
    export_filename = "partenaires"
    ordering = ["name"]


class ActionFilterSet(PageFilterSet):
    charter = django_filters.ModelChoiceFilter(
        label="Charte ou plan",
        queryset=CharterPage.objects.all(),
        method="filter_descendant_of",
    )
    orientation = django_filters.ModelChoiceFilter(
        label="Orientation",
        queryset=OrientationPage.objects.order_by("path"),
        method="filter_descendant_of",
    )

    class Meta:
        model = ActionPage
        fields = []

    def filter_descendant_of(self, queryset, name, value):
        return queryset.filter(path__startswith=value.path) if value else queryset


class ActionListingViewSet(PageListingViewSet):
    model = ActionPage
    icon = "list-ol"
    menu_hook = CHARTER_MENU.hook
    menu_label = "Actions"
    menu_order = 1
    name = "actions"
    filterset_class = ActionFilterSet

    @cached_property
    def menu_item_class(self):
        """Shown only to those who may open the listing (the permissions of its index view)."""
        model, required = self.model, self.index_view_class.any_permission_required

        def is_shown(item, request):
            return policy_registry.get_by_type(model).user_has_any_permission(
                request.user, required
            )

        return type("ActionListingMenuItem", (MenuItem,), {"is_shown": is_shown})

    columns = [
        Column("code", label="N°", sort_key="number", width="8%"),
        PageTitleColumn("title", label="Action", classname="title"),
        Column("parent", label="Orientation", accessor="get_parent"),
        Column(
            "latest_revision_created_at", label="Mise à jour", sort_key="latest_revision_created_at"
        ),
    ]


class SignatureFilterSet(WagtailFilterSet):
    charter = django_filters.ModelChoiceFilter(label="Charte", queryset=CharterPage.objects.all())
    status = django_filters.ChoiceFilter(label="État", choices=SignatureStatus.choices)

    class Meta:
        model = Signature
        fields = ["charter", "status"]


class SignatureServiceMixin:
    """Saves through the `signature_record` service; refusals come back as form errors."""

    def save_instance(self):
        data = self.form.cleaned_data
        return signature_record(
            charter=data["charter"],
            partner=data["partner"],
            user=self.request.user,
            status=data["status"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            signed_on=data["signed_on"],
            signed_scan=data["signed_scan"],
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_service_errors(form, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


def record_signatures_url(charter: CharterPage) -> str:
    """The signatures screen of a charter (one row per signatory)."""
    return reverse("signatures:record", args=[charter.pk])


class SignatureIndexView(model_views.IndexView):
    """The listing, with « Saisir les signatures » for each charter edition (header button)."""

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if not may_record_signatures(user=self.request.user):
            return buttons
        charters = list(CharterPage.objects.order_by("-first_published_at", "-pk").only("title"))
        if len(charters) == 1:
            return [*buttons, HeaderButton(RECORD_LABEL, url=record_signatures_url(charters[0]))]
        if charters:
            items = [
                Button(charter.title, url=record_signatures_url(charter), priority=index)
                for index, charter in enumerate(charters)
            ]
            buttons.append(
                ButtonWithDropdown(
                    label=RECORD_LABEL,
                    buttons=items,
                    icon_name="edit",
                    classname="w-h-slim-header",
                    attrs={"aria-label": f"{RECORD_LABEL} : choisir la charte"},
                )
            )
        return buttons


class SignatureCreateView(SignatureServiceMixin, model_views.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        for name in ("charter", "partner"):
            try:
                value = query.integer(self.request.GET, name)
            except BadParameter as error:
                messages.error(self.request, f"{error} Le champ n'a pas été prérempli.")
            else:
                if value is not None:
                    initial[name] = value
        return initial


class SignatureEditView(SignatureServiceMixin, model_views.EditView):
    pass


class SignatureViewSet(ModelViewSet):
    model = Signature
    icon = "signature"
    menu_hook = CHARTER_MENU.hook
    menu_label = "Signatures"
    menu_order = 4
    name = "signatures"
    index_view_class = SignatureIndexView
    add_view_class = SignatureCreateView
    edit_view_class = SignatureEditView
    list_display = ["partner", "charter", "status", "signer_name", "signed_on", "signed_scan"]
    filterset_class = SignatureFilterSet
    list_export = ["charter", "partner", "status", "signer_name", "signer_title", "signed_on"]
    export_filename = "signatures"

    def get_form_class(self, for_update=False):
        return SignatureForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("charte/<int:charter_id>/", SignatureRecordView.as_view(), name="record"),
        ]


def record_signatures_button(page, user, view_name, next_url=None):
    """« Saisir les signatures » in a charter's header actions (page editor, page listing)."""
    if issubclass(page.specific_class or type(page), CharterPage) and may_record_signatures(
        user=user
    ):
        yield Button(RECORD_LABEL, url=record_signatures_url(page), icon_name="edit", priority=40)
