from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Versions et publication"

    # Public page cache registry (pages/cache.py): models whose rows public pages, files or the
    # API show (a change invalidates cached pages), and models never shown publicly. Pages are
    # covered by Wagtail's publish signals; `manage.py check` (pages.E002) refuses a model in
    # neither list.
    public_models = ("CharterVersion", "DocumentSettings")  # logos: the files' sizes change
    private_models = ()
