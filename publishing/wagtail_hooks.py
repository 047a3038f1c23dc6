from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from charter.models import CharterPage

from .viewsets import CharterVersionViewSet


@hooks.register("register_admin_viewset")
def register_charter_versions():
    return CharterVersionViewSet()


@hooks.register("register_log_actions")
def register_publishing_log_actions(actions):
    actions.register_action(
        "publishing.version_create", "Version figée", "Version nommée de la charte figée"
    )


@hooks.register("register_page_header_buttons")
def charter_versions_button(page, user, view_name, next_url=None):
    """« Versions et DOCX » in the header menu of a charter page in the admin."""
    if page.specific_class is CharterPage and user.has_perm("publishing.view_charterversion"):
        yield Button(
            "Versions et export DOCX / PDF",
            url=reverse("charter_versions:index") + f"?charter={page.pk}",
            icon_name="download",
            priority=80,
        )
