from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "assistance"
    verbose_name = "Aide aux ménages"

    # Public page cache registry (pages/cache.py): the contacts directory is shown on the help
    # pages (a change invalidates cached pages); pages are covered by Wagtail's publish signals.
    public_models = ("Contact",)
    private_models = ()
