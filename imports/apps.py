from django.apps import AppConfig


class ImportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "imports"
    verbose_name = "imports"

    # Public page cache registry (pages/cache.py): models whose rows public pages, files or the
    # API show (a change invalidates cached pages), and models never shown publicly. Pages are
    # covered by Wagtail's publish signals; `manage.py check` (pages.E002) refuses a model in
    # neither list.
    public_models = ()
    private_models = ("ImportRecord", "UnplacedLine")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from .models import UnplacedLine
        from .permissions import unplaced_permission_policy

        register_permission_policy(UnplacedLine, unplaced_permission_policy)
