"""System checks of the public site's settings."""

from pathlib import Path

from django.apps import apps
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


def project_app_configs() -> list:
    """The project's own apps (below BASE_DIR, not installed packages)."""
    base = Path(settings.BASE_DIR)
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(base) and "site-packages" not in Path(config.path).parts
    ]


@register()
def check_public_model_registry(app_configs, **kwargs) -> list[Error]:
    """Every model of the project is declared public (cache invalidation) or private."""
    from wagtail.models import Page

    errors = []
    for config in project_app_configs():
        declared = set(getattr(config, "public_models", ())) | set(
            getattr(config, "private_models", ())
        )
        for model in config.get_models():
            if issubclass(model, Page) or model._meta.auto_created:
                continue
            if model.__name__.startswith("Historical"):  # simple-history: its own signal
                continue
            if model.__name__ not in declared:
                errors.append(
                    Error(
                        f"Le modèle {model._meta.label} n'est déclaré ni public ni privé.",
                        hint=(
                            f"Ajoutez « {model.__name__} » à public_models (ses lignes "
                            "apparaissent sur le site public) ou à private_models dans "
                            f"{config.__class__.__module__}.{config.__class__.__name__}."
                        ),
                        id="pages.E002",
                    )
                )
    return errors
