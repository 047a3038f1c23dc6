"""Enumerations of the monitoring app, with the allowed transitions beside them."""

from django.db import models

from charter.roles import COMMITTEE, COPILOTS, SECRETARIAT


class CampaignStatus(models.TextChoices):
    OPEN = "open", "Ouverte"
    CLOSED = "closed", "Clôturée"


# A campaign is opened, then closed (its snapshot frozen). Until the committee has met on it, the
# secretariat may reopen it (a closing made too early): `services.campaign_reopen` checks that.
CAMPAIGN_STATUS_TRANSITIONS: dict[str, frozenset[str]] = {
    CampaignStatus.OPEN: frozenset({CampaignStatus.CLOSED}),
    CampaignStatus.CLOSED: frozenset({CampaignStatus.OPEN}),
}


class ReminderKind(models.TextChoices):
    DEADLINE = "deadline", "Avant la date limite de la campagne"
    MEETING = "meeting", "Avant le comité de suivi"
    MANUAL = "manual", "Relance manuelle"


# Groups (created by the engagements data migration) allowed to read the dashboards.
DASHBOARD_GROUPS = frozenset({SECRETARIAT, COPILOTS, COMMITTEE})
# Groups allowed to run the yearly review (open, remind, close, meeting records).
REVIEW_MANAGER_GROUPS = frozenset({SECRETARIAT})


class IndicatorKind(models.TextChoices):
    QUANTITATIVE = "quantitative", "Quantitatif"
    QUALITATIVE = "qualitative", "Qualitatif"
