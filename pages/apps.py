from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages du site"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .cache import connect_receivers
        from .params import install_filter_id_check
        from .spreadsheets import install_spreadsheet_export_escaping

        connect_receivers()
        install_spreadsheet_export_escaping()
        install_filter_id_check()
