from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo content: its seed documents (`seeds/`), its loader and `manage.py load_demo`.

    The top layer of the import contract: it writes through the charter importer's page-tree
    writer (`imports.tree`) and may import every app. It owns no model.
    """

    name = "demo"
    verbose_name = "Démonstration"
