"""The admin home panel of a partner's staff: the campaign, its deadline, what is left to do."""

from wagtail.admin.ui.components import Component

from charter.models import Partner
from charter.roles import user_partner_id

from .selectors.workspace import partner_work


def partner_of(user) -> Partner | None:
    """The partner organisation whose staff the user is (its membership), if any."""
    partner_id = user_partner_id(user)
    return Partner.objects.filter(pk=partner_id).first() if partner_id else None


class PartnerWorkPanel(Component):
    name = "partner_work"
    order = 10  # before Wagtail's own panels
    template_name = "monitoring/home/partner_work.html"

    def __init__(self, *, partner: Partner):
        self.partner = partner

    def get_context_data(self, parent_context=None):
        return {"work": partner_work(partner=self.partner)}
