from django.urls import path, reverse
from wagtail import hooks

from core.admin import DATA_MENU, RuleMenuItem

from .permissions import can_import
from .views import charter_import_view, data_import_view
from .viewsets import UnplacedLineViewSet


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("imports/donnees/", data_import_view, name="imports_data"),
        path("imports/charte/", charter_import_view, name="imports_charter"),
    ]


hooks.register("register_admin_menu_item", DATA_MENU.menu_item)


@hooks.register(DATA_MENU.hook)
def register_data_import_menu_item():
    return RuleMenuItem(
        "Importer des données",
        reverse("imports_data"),
        icon_name="upload",
        order=1,
        shown_to=can_import,
    )


@hooks.register(DATA_MENU.hook)
def register_charter_import_menu_item():
    return RuleMenuItem(
        "Importer une charte",
        reverse("imports_charter"),
        icon_name="doc-full",
        order=2,
        shown_to=can_import,
    )


@hooks.register("register_log_actions")
def register_import_log_actions(actions):
    actions.register_action("imports.import", "Import", "Modifié par un import de fichier")
    actions.register_action("imports.unplaced", "Ligne placée", "Ligne importée traitée")


@hooks.register("register_admin_viewset")
def register_unplaced_lines():
    return UnplacedLineViewSet()
