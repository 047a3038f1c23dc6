from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from core.admin import CHARTER_MENU

from .views.chooser import signed_copy_chooser_viewset
from .views.workflow import CharterWorkflowPanel, submission_warning
from .viewsets import (
    ActionListingViewSet,
    PartnerViewSet,
    SignatureViewSet,
    record_signatures_button,
)

hooks.register("register_admin_menu_item", CHARTER_MENU.menu_item)
register_snippet(PartnerViewSet)


@hooks.register("register_admin_viewset")
def register_action_listing():
    return ActionListingViewSet()


@hooks.register("register_admin_viewset")
def register_signatures():
    return SignatureViewSet()


@hooks.register("register_admin_viewset")
def register_signed_copy_chooser():
    return signed_copy_chooser_viewset


hooks.register("register_page_header_buttons", record_signatures_button)


@hooks.register("register_log_actions")
def register_charter_log_actions(actions):
    actions.register_action(
        "charter.lifecycle", "Cycle de vie", "Changement d'étape du cycle de vie de la charte"
    )
    actions.register_action("charter.signature", "Signature", "Signature enregistrée")


@hooks.register("construct_homepage_panels")
def add_charter_workflow_panel(request, panels):
    panels.append(CharterWorkflowPanel())


@hooks.register("after_edit_page")
@hooks.register("after_create_page")
def warn_on_charter_submission(request, page):
    if request.method == "POST" and request.POST.get("action-submit"):
        submission_warning(request, page)


@hooks.register("insert_global_admin_js")
def name_modal_dialogs():
    return format_html('<script src="{}"></script>', static("charter/js/dialog-name.js"))
