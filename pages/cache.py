"""Public page cache: anonymous GET/HEAD responses kept in Django's cache, per URL.

Every key carries a global "content generation" number kept in the same (shared) cache, so that
bumping it invalidates every cached page at once, on every app server: Redis in production
(config/production.py), local memory otherwise. It is bumped when a page is published,
unpublished, moved or deleted, and when a record of a model that an app declares in its
AppConfig's `public_models` changes (receivers at the end of this module, connected in
PagesConfig.ready(); check pages.E002 makes every project model declared public or private).

What is cached: a 200, non-streaming response to an anonymous GET or HEAD (no session cookie, no
Authorization header) outside the admins and documents, that sets no cookie (a form with a CSRF
token sets one), is not private/no-store and used no CSP nonce. PUBLIC_CACHE_SECONDS sets the
lifetime (0 disables the cache). Responses carry `X-Cache: HIT` or `X-Cache: MISS`.

The middleware sits before the session and authentication middleware: a hit costs no SQL query.
A failing cache server never breaks the site: the request is then simply served uncached.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

logger = logging.getLogger(__name__)

GENERATION_KEY = "public-page-cache:generation"
KEY_PREFIX = "public-page-cache:page"
EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/static/", "/media/")
# Headers set by outer middleware on every response (never stored: they are added again).
UNSTORED_HEADERS = {"set-cookie", "content-security-policy", "permissions-policy", "x-cache"}


def cache_seconds() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 0) or 0)


def current_generation() -> int | None:
    """The content generation, created on first use (a timestamp: never an old number again).

    None when the cache cannot keep it (a server down degrades to misses, config/cache.py):
    pages are then neither read from nor stored in the cache.
    """
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    try:
        return int(generation)
    except (TypeError, ValueError):
        return None


def bump_generation() -> None:
    """Invalidate every cached public page, on every app server (the number is in the cache)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not created yet (or evicted): any new number will do
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:  # cache server down: nothing is being served from it either
        logger.warning("Cache indisponible : génération de contenu non incrémentée", exc_info=True)


def invalidate_public_cache() -> None:
    """Bump now (the rest of this transaction sees it) and again after commit.

    The second bump closes the window where a concurrent request, reading the database before
    the commit, would store the old content under the generation of the first bump.
    """
    bump_generation()
    transaction.on_commit(bump_generation)


def page_key(request, generation: int) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"{KEY_PREFIX}:{generation}:{digest}"


def request_is_cacheable(request) -> bool:
    if cache_seconds() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(EXCLUDED_PREFIXES):
        return False
    # A session cookie means a logged-in user (or a form in progress): never the shared copy.
    has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
    return not has_session and "HTTP_AUTHORIZATION" not in request.META


def response_is_cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Set-Cookie") or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # A nonce is unique to one response: content that uses one cannot be replayed.
    return getattr(request, "_csp_nonce", None) is None


class PublicPageCacheMiddleware:
    """Serve anonymous public pages from the shared cache; store the cacheable misses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_cacheable(request):
            return self.get_response(request)
        try:
            generation = current_generation()
            if generation is None:
                return self.get_response(request)
            key = page_key(request, generation)
            cached = cache.get(key)
        except Exception:
            logger.warning("Cache indisponible : page servie sans cache", exc_info=True)
            return self.get_response(request)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "HIT"
            return response
        response = self.get_response(request)
        if request.method == "GET" and response_is_cacheable(request, response):
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in UNSTORED_HEADERS
            ]
            try:
                cache.set(key, (response.status_code, headers, response.content), cache_seconds())
            except Exception:
                logger.warning("Cache indisponible : page non enregistrée", exc_info=True)
            response["X-Cache"] = "MISS"
        return response


# Receivers. Cache invalidation is infrastructure, not domain state: the domain's changes stay
# explicit verbs in services.py; these receivers only forget cached copies of public pages, for
# whatever path the change came through (service, admin, import, shell).


def registered_models(kind: str = "public_models") -> list:
    """The models every project app declares in its AppConfig (`public_models` by default)."""
    from django.apps import apps

    return [
        config.get_model(name)
        for config in apps.get_app_configs()
        for name in getattr(config, kind, ())
    ]


def _on_change(sender=None, **kwargs):
    invalidate_public_cache()


def _on_page_delete(sender=None, instance=None, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        invalidate_public_cache()


def connect_receivers() -> None:
    """Connect the invalidation receivers (called once from PagesConfig.ready())."""
    from django.db.models.signals import post_delete, post_save
    from simple_history.signals import post_create_historical_record
    from wagtail.signals import page_published, page_unpublished, post_page_move

    uid = "public-page-cache"
    page_published.connect(_on_change, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(_on_change, dispatch_uid=f"{uid}-unpublished")
    post_page_move.connect(_on_change, dispatch_uid=f"{uid}-moved")
    post_delete.connect(_on_page_delete, dispatch_uid=f"{uid}-page-deleted")
    post_create_historical_record.connect(_on_change, dispatch_uid=f"{uid}-history")
    for model in registered_models():
        label = model._meta.label
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save-{label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete-{label}")
