"""Wagtail admin helpers shared by the apps."""

from collections.abc import Callable

from wagtail.admin.menu import MenuItem


class RuleMenuItem(MenuItem):
    """A menu item shown only to the users the view it opens lets in (`shown_to(user)`)."""

    def __init__(self, label: str, url: str, *, shown_to: Callable[..., bool], **kwargs):
        super().__init__(label, url, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request) -> bool:
        return bool(self.shown_to(request.user))
