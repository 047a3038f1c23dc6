"""System checks of the public site's settings."""

from django.conf import settings
from django.core.checks import Error, register

from .context_processors import THEME_BASE_TEMPLATES


@register()
def check_site_theme(app_configs, **kwargs) -> list[Error]:
    """SITE_THEME must name one of the site's themes."""
    theme = getattr(settings, "SITE_THEME", None)
    if theme in THEME_BASE_TEMPLATES:
        return []
    return [
        Error(
            f"SITE_THEME vaut {theme!r} : choisissez parmi {', '.join(THEME_BASE_TEMPLATES)}.",
            hint="« dsfr » pour un service de l'État, « neutral » pour tout autre éditeur.",
            id="pages.E001",
        )
    ]
