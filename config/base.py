"""Settings shared by every environment; the others import from here."""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent

INSTALLED_APPS = [
    # Project apps (nouns, each owning its models, templates and tests).
    "pages",
    "assistance",
    "charter",
    "glossary",
    "engagements",
    "publishing",
    "monitoring",
    "imports",
    "opendata",
    "backups",
    "demo",
    # Wagtail.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Third parties.
    "dsfr",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    # Django.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (also the 503 page).
    "config.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Database down: a static French 503 page instead of a stack trace.
    "config.middleware.DatabaseUnavailableMiddleware",
    # Anonymous public pages served from the shared cache (pages/cache.py).
    "pages.cache.PublicPageCacheMiddleware",
    # What the cache did not answer: at most RENDER_SLOTS renders at once per process.
    "config.render_slots.RenderSlotsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "pages.context_processors.site",
            ],
            # `date_fr` (« 1er décembre 2026 ») in every template without {% load %}.
            "builtins": ["core.templatetags.french"],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is the embedded default; DATABASE_URL (postgres://…) switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French interface, Paris time.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
# The project's wording of Wagtail's generic admin strings (searched before the apps' catalogues).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

WAGTAIL_SITE_NAME = "Charte de prévention de l'expulsion locative"
# Absolute links in e-mails (campaign reminders, workflow notifications) start with this address.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The sender of the platform's e-mails (reminders, proposals, workflow): the secretariat's name.
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Secrétariat de la CCAPEX <ne-pas-repondre@localhost>"
)
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # Used by PostgreSQL only (SQLite's FTS5 has no stemming).
        "SEARCH_CONFIG": "french",
    }
}
# The public lexicon (/lexique/) shows the charter in force; glossary never imports charter, so
# the project wires the selector in by name.
GLOSSARY_CHARTER_IN_FORCE = "charter.selectors.current_charter"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "xlsx", "ods", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents are always streamed by Wagtail's serve view after its permission checks (never a
# redirect to MEDIA_URL or to a bucket, which would skip them): see config/media.py.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

# django-simple-history: keep a reason on every change; no history for the test runner's bulk
# loads unless asked.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# django-import-export: imports are all-or-nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Data imports (issue 12): what one uploaded file may hold, checked while it is read, before
# anything is imported (imports/reading.py). The rows cap keeps the 10,000-row preview of bench/;
# the text cap bounds the preview page (no more text than the largest CSV accepted, 2 Mo); an
# XLSX is a zip: its unpacked size and its compression ratio are capped before it is opened.
IMPORT_MAX_ROWS = 20_000
IMPORT_MAX_COLUMNS = 50
IMPORT_MAX_CELL_CHARS = 10_000
IMPORT_MAX_TABLE_CHARS = 2 * 1024 * 1024
IMPORT_MAX_XLSX_UNPACKED_BYTES = 20 * 1024 * 1024
IMPORT_MAX_XLSX_RATIO = 100

# Monitoring (issue 6): indicator counts below this threshold are hidden on public pages
# (statistical secrecy); review reminders are e-mailed this many days before the campaign
# deadline and before the committee meeting.
INDICATOR_PUBLIC_MIN_COUNT = 11
REVIEW_REMINDER_DAYS_BEFORE_DEADLINE = (14, 7, 1)
REVIEW_REMINDER_DAYS_BEFORE_MEETING = (7,)

LOGIN_URL = "wagtailadmin_login"

# Public site theme: "dsfr" (the State design system, for a State publisher only: its terms of
# use reserve it to State services) or "neutral" (an accessible theme with no DSFR or Marianne
# asset, for a Département, a city or an association).
SITE_THEME = os.environ.get("SITE_THEME", "dsfr")
# Django-dsfr components mark their content safe by default: partner text is never trusted.
DSFR_CONTENT_IS_SAFE = False

# Login rate limiting (django-axes, issue 4): 5 failures for one username from one address lock
# that pair out for 15 minutes; a successful login resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"  # project-level: the login lockout page
AXES_COOLOFF_MESSAGE = (
    "Compte temporairement bloqué après trop de tentatives de connexion. Réessayez dans 15 minutes."
)
# The address is REMOTE_ADDR; behind TRUSTED_PROXY_COUNT proxies (production: environment
# variables), the one they give in CLIENT_IP_HEADER (config/client_ip.py; issue 12).
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip_address"
TRUSTED_PROXY_COUNT = 0
CLIENT_IP_HEADER = "X-Forwarded-For"

# Security headers (issue « Production, performance and reliability »): the same policy in
# development, tests, browser tests and production. django-csp adds a nonce to script-src only
# when a template uses {{ request.csp_nonce }}. The Wagtail admin's relaxation is scoped to
# /admin/ in config/middleware.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No third-party request from the admin (CSP and privacy): no Gravatar, no release check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Public page cache (pages/cache.py): seconds an anonymous page is kept; 0 disables it.
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "600"))
# Requests rendered at once per process (config/render_slots.py; 0: no bound). gunicorn's
# threads (config/gunicorn.py) beyond these serve cached pages while the slots render.
RENDER_SLOTS = int(os.environ.get("RENDER_SLOTS", "1"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# User admin (issue 12, item 9): Wagtail's users app with the project's UserViewSet (only a
# superuser acts on a superuser or grants superuser status; no group beyond the editor's rights).
INSTALLED_APPS = [
    "engagements.users_app.UsersAppConfig" if app == "wagtail.users" else app
    for app in INSTALLED_APPS
]

# pandoc (publishing/docx/pandoc.py, every conversion): sandboxed, stopped after this many
# seconds (keep it under GUNICORN_TIMEOUT) and limited to this much memory.
PANDOC_TIMEOUT_SECONDS = int(os.environ.get("PANDOC_TIMEOUT_SECONDS", "30"))
PANDOC_MEMORY_LIMIT_MB = int(os.environ.get("PANDOC_MEMORY_LIMIT_MB", "1024"))
# PDF/A exports (publishing/docx/pdf.py): LibreOffice, stopped after this many seconds (keep it
# under GUNICORN_TIMEOUT); when the binary is absent the PDF links say so and the DOCX stays.
LIBREOFFICE_BINARY = os.environ.get("LIBREOFFICE_BINARY", "soffice")
LIBREOFFICE_TIMEOUT_SECONDS = int(os.environ.get("LIBREOFFICE_TIMEOUT_SECONDS", "45"))
# Charter import (imports/parsing/convert.py): a DOCX is refused before pandoc when its content
# unpacks to more than this many bytes, or more than this many times its own size (zip bomb).
IMPORT_DOCX_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("IMPORT_DOCX_MAX_UNCOMPRESSED_BYTES", str(40 * 1024 * 1024))
)
IMPORT_DOCX_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_DOCX_MAX_COMPRESSION_RATIO", "100"))
