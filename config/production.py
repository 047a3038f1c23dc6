"""Production: every secret and host comes from the environment; refuses to start without them."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"La variable d'environnement {name} est obligatoire en production."
        )
    return value


SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def _strong_secret(name: str) -> str:
    """The variable, refused when it is as weak as Django's check --deploy defines it."""
    value = _required(name)
    if (
        len(value) < SECRET_KEY_MIN_LENGTH
        or len(set(value)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or value.startswith("django-insecure-")
    ):
        raise ImproperlyConfigured(
            f"La variable d'environnement {name} est trop faible : elle doit compter au moins "
            f"{SECRET_KEY_MIN_LENGTH} caractères, dont au moins "
            f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} différents, et ne pas commencer par "
            '« django-insecure- ». Générez-en une avec : python -c "from '
            "django.core.management.utils import get_random_secret_key; "
            'print(get_random_secret_key())"'
        )
    return value


DEBUG = False
SECRET_KEY = _strong_secret("SECRET_KEY")
# Backups (backups/archive.py): the key of the HMAC that signs each archive's manifest; a restore
# refuses an archive signed with another key. Unset, SECRET_KEY signs. Set it (the same value
# wherever an archive is restored) so that a new SECRET_KEY does not orphan the old backups.
BACKUP_SIGNING_KEY = (
    _strong_secret("BACKUP_SIGNING_KEY") if os.environ.get("BACKUP_SIGNING_KEY", "").strip() else ""
)
ALLOWED_HOSTS = [h.strip() for h in _required("ALLOWED_HOSTS").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _proxy_count() -> int:
    value = os.environ.get("TRUSTED_PROXY_COUNT", "0").strip() or "0"
    if not value.isdigit():
        raise ImproperlyConfigured(
            "La variable d'environnement TRUSTED_PROXY_COUNT doit être un nombre entier (0 sans "
            f"proxy, 1 derrière un répartiteur de charge…) ; valeur reçue : {value!r}."
        )
    return int(value)


def _client_ip_header() -> str:
    value = os.environ.get("CLIENT_IP_HEADER", "X-Forwarded-For").strip()
    if not value or not all(c.isalnum() or c == "-" for c in value):
        raise ImproperlyConfigured(
            "La variable d'environnement CLIENT_IP_HEADER doit être un nom d'en-tête HTTP "
            f"(par exemple X-Forwarded-For ou X-Real-IP) ; valeur reçue : {value!r}."
        )
    return value


# The login lockout (django-axes) keys on the client's address: behind proxies, set
# TRUSTED_PROXY_COUNT to their number, and CLIENT_IP_HEADER if they do not append the client to
# X-Forwarded-For (config/client_ip.py). Unset, the header is never trusted.
TRUSTED_PROXY_COUNT = _proxy_count()
CLIENT_IP_HEADER = _client_ip_header()
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))  # a working day
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# One Redis shared by every app server (public page cache and its content generation, see
# pages/cache.py); without REDIS_URL each process keeps its own local-memory cache, which is only
# right for a single app server.
# A Redis down or slow never breaks a page (config/cache.py): every cache call then degrades to
# a miss, after at most REDIS_TIMEOUT_SECONDS, without retry.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5"))
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "charte"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                "retry": Retry(NoBackoff(), 0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PUBLIC_CACHE_SECONDS = int(os.environ.get("PUBLIC_CACHE_SECONDS", "600"))

# Uploaded media (documents, images, DOCX export cache): a directory, shared by every app server
# (a network volume) when there are several. Object storage instead needs no new setting here
# beyond STORAGES: install a storage backend (e.g. django-storages) and set
#   STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {...}}
# in a settings module that imports this one. The DOCX fingerprint cache and the backup command
# read MEDIA_ROOT, so keep it pointing at a local or mounted directory.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))  # noqa: F405
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles"))  # noqa: F405

# Logs to stdout/stderr (the process manager collects them); ERROR for request failures.
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "WARNING")  # noqa: F405

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL",
    f"Secrétariat de la CCAPEX <ne-pas-repondre@{ALLOWED_HOSTS[0].lstrip('.')}>",
)
