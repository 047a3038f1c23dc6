"""Wagtail admin views of the steering committee: dashboards and indicators, review campaigns."""

from .campaigns import (
    CampaignDetailView,
    CampaignListView,
    CampaignReportView,
    campaign_close,
    campaign_remind,
    campaign_reopen,
    meeting_agenda,
)
from .dashboards import (
    DashboardExportView,
    DashboardView,
    IndicatorExportView,
    IndicatorsView,
    IndicatorValueEntryView,
)

__all__ = [
    "CampaignDetailView",
    "CampaignListView",
    "CampaignReportView",
    "DashboardExportView",
    "DashboardView",
    "IndicatorExportView",
    "IndicatorValueEntryView",
    "IndicatorsView",
    "campaign_close",
    "campaign_remind",
    "campaign_reopen",
    "meeting_agenda",
]
