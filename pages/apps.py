from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages du site"

    # Public page cache registry (pages/cache.py): models whose rows public pages, files or the
    # API show (a change invalidates cached pages), and models never shown publicly. Pages are
    # covered by Wagtail's publish signals; `manage.py check` (pages.E002) refuses a model in
    # neither list.
    public_models = ("SiteSettings",)
    private_models = ()

    def ready(self):
        from core.params import install_filter_id_check
        from core.spreadsheets import install_spreadsheet_exports

        from . import checks  # noqa: F401 - registers the system checks
        from .cache import connect_receivers

        connect_receivers()
        install_spreadsheet_exports()
        install_filter_id_check()
