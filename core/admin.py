"""Wagtail admin helpers shared by the apps."""

from collections.abc import Callable
from dataclasses import dataclass

from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem


class RuleMenuItem(MenuItem):
    """A menu item shown only to the users the view it opens lets in (`shown_to(user)`)."""

    def __init__(self, label: str, url: str, *, shown_to: Callable[..., bool], **kwargs):
        super().__init__(label, url, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request) -> bool:
        return bool(self.shown_to(request.user))


# --- The sidebar's groups -------------------------------------------------------------------
# Each group is a Wagtail submenu filled by its own hook: a viewset names the hook as its
# `menu_hook`, a RuleMenuItem is registered with `@hooks.register(group.hook)`. The app owning
# the concept registers the group (`hooks.register("register_admin_menu_item",
# CHARTER_MENU.menu_item)`); a group none of whose entries a user may open is not shown.


@dataclass(frozen=True)
class MenuGroup:
    label: str
    name: str
    icon: str
    order: int

    @property
    def hook(self) -> str:
        return f"register_{self.name}_menu_item"

    def menu_item(self) -> SubmenuMenuItem:
        """The group's submenu (shown only when one of its entries is shown)."""
        return SubmenuMenuItem(
            self.label,
            Menu(register_hook_name=self.hook),
            name=self.name,
            icon_name=self.icon,
            order=self.order,
        )


# Between Wagtail's « Pages » (100) and « Images » (300).
CHARTER_MENU = MenuGroup("Charte", "charter", "doc-full-inverse", 110)
COMMITMENTS_MENU = MenuGroup("Engagements", "commitments", "list-ul", 120)
COMMITTEE_MENU = MenuGroup("Suivi du comité", "committee", "view", 130)
DATA_MENU = MenuGroup("Imports", "data", "upload", 140)
MENU_GROUPS = (CHARTER_MENU, COMMITMENTS_MENU, COMMITTEE_MENU, DATA_MENU)
