from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet

from core.admin import COMMITTEE_MENU, RuleMenuItem

from . import urls
from .home import PartnerWorkPanel, partner_of
from .models import CommitteeMeeting, MeetingRecord
from .permissions import can_manage_review, can_record_indicators, can_view_dashboards
from .viewsets import (
    DecisionViewSet,
    IndicatorTargetViewSet,
    IndicatorViewSet,
    MeetingRecordViewSet,
)

hooks.register("register_admin_menu_item", COMMITTEE_MENU.menu_item)
for viewset in (IndicatorViewSet, MeetingRecordViewSet, DecisionViewSet, IndicatorTargetViewSet):
    register_snippet(viewset)
hooks.register("last_committee_meeting", CommitteeMeeting.latest_past)


@hooks.register("register_admin_urls")
def register_monitoring_urls():
    return [path("suivi/", include(urls, namespace="monitoring"))]


@hooks.register(COMMITTEE_MENU.hook)
def register_dashboard_menu_item():
    return RuleMenuItem(
        "Tableaux de bord",
        reverse("monitoring:dashboard"),
        icon_name="view",
        order=1,
        shown_to=can_view_dashboards,
    )


@hooks.register(COMMITTEE_MENU.hook)
def register_indicators_menu_item():
    return RuleMenuItem(
        "Indicateurs (séries)",
        reverse("monitoring:indicators"),
        icon_name="table",
        order=2,
        shown_to=can_view_dashboards,
    )


@hooks.register(COMMITTEE_MENU.hook)
def register_indicator_entry_menu_item():
    return RuleMenuItem(
        "Saisir un indicateur",
        reverse("monitoring:indicator_values"),
        icon_name="edit",
        order=4,
        shown_to=can_record_indicators,
    )


@hooks.register(COMMITTEE_MENU.hook)
def register_campaigns_menu_item():
    return RuleMenuItem(
        "Campagnes de bilan",
        reverse("monitoring:campaigns"),
        icon_name="date",
        order=5,
        shown_to=can_view_dashboards,
    )


@hooks.register("register_snippet_listing_buttons")
def meeting_agenda_button(snippet, user, next_url=None):
    if isinstance(snippet, MeetingRecord) and can_manage_review(user):
        yield ListingButton(
            "Ordre du jour",
            reverse("monitoring:meeting_agenda", args=[snippet.pk]),
            icon_name="list-ul",
            priority=60,
        )


@hooks.register("register_log_actions")
def register_monitoring_log_actions(actions):
    actions.register_action(
        "monitoring.campaign_open", "Ouverture de campagne", "Ouverture de la campagne de bilan"
    )
    actions.register_action(
        "monitoring.campaign_close", "Clôture de campagne", "Clôture de la campagne de bilan"
    )
    actions.register_action(
        "monitoring.campaign_reopen",
        "Réouverture de campagne",
        "Réouverture de la campagne de bilan (nouvelle date limite)",
    )
    actions.register_action(
        "monitoring.indicator_value", "Valeur d'indicateur", "Saisie d'une valeur d'indicateur"
    )
    actions.register_action(
        "monitoring.meeting_agenda", "Ordre du jour généré", "Génération de l'ordre du jour"
    )


@hooks.register("construct_homepage_panels")
def add_partner_work_panel(request, panels):
    partner = partner_of(request.user)
    if partner is not None:
        panels.insert(0, PartnerWorkPanel(partner=partner))


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail adds its items
def hide_site_summary_from_partner_staff(request, summary_items):
    # Page/document counts mean nothing to a partner's staff: their work panel replaces them.
    if partner_of(request.user) is not None:
        summary_items.clear()
