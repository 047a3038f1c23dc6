from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Suivi et évaluation"

    # Public page cache registry (pages/cache.py): models whose rows public pages, files or the
    # API show (a change invalidates cached pages), and models never shown publicly. Pages are
    # covered by Wagtail's publish signals; `manage.py check` (pages.E002) refuses a model in
    # neither list.
    public_models = ("Indicator", "IndicatorValue")
    private_models = (
        "CommitteeMeeting",
        "IndicatorTarget",
        "ReviewCampaign",
        "ReminderLog",
        "MeetingRecord",
        "Decision",
    )
