"""Public page cache: anonymous GET/HEAD responses kept in Django's cache, per URL.

Scoped generations. Each cached page records the scopes it shows (core/cache_scopes.py) and the
generation of each scope when it was rendered; the generations live in the same (shared) cache,
Redis in production (config/production.py), local memory otherwise. A change bumps only the
generations of the scopes it touches, so a page stays cached while nothing it shows changes:
* a page of a charter's tree (charter, orientation, action; `before_serve_page` hook below), the
  matrix of a charter and a partner's page declare « site » plus their charters (by the charter
  page's tree path) and partners; every other page (home, search, lexicon, open data, API, site
  map, versions…) declares nothing and depends on « any », which every change bumps;
* a change (`change_scopes`): a commitment → its charter and its partner; a signatory,
  declaration, signature or mayor's request → its charter and its partner; an orientation or
  action published or unpublished → its charter; anything else (a charter page published, a page
  moved or deleted, a charter's life-cycle step — logged, written by an update —, settings,
  lexicon, partners, indicators, versions…) → « site », hence every page. « any » is bumped by
  every change.
Receivers at the end of this module, connected in PagesConfig.ready(); check pages.E002 makes
every project model declared public or private in its AppConfig.

No reader ever sees stale content after a commit: the generations are bumped when the change is
made and again after commit; a miss reads « any » before its view runs and stores the page only
if « any » has not moved when it reads the scopes' generations after the view (read first, « any »
last; a bump increments « any » first), so content read before a commit is never stored under a
generation that follows it.

What is cached: a 200, non-streaming response to an anonymous GET or HEAD (no session cookie, no
Authorization header) outside the admins and documents, that sets no cookie (a form with a CSRF
token sets one), is not private/no-store and used no CSP nonce. PUBLIC_CACHE_SECONDS sets the
lifetime (0 disables the cache). Responses carry `X-Cache: HIT` or `X-Cache: MISS`.

The middleware sits before the session and authentication middleware: a hit costs no SQL query
and one or two cache reads (the page with « any », then its scopes' generations). A failing cache
server never breaks the site: the request is then simply served uncached.
"""

import hashlib
import logging
import threading
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse

from core.cache_scopes import ANY, SITE, charter_scope, declared_scopes, partner_scope

logger = logging.getLogger(__name__)

GENERATION_PREFIX = "public-page-cache:generation"
GENERATION_KEY = f"{GENERATION_PREFIX}:{ANY}"  # « any »: bumped by every change
KEY_PREFIX = "public-page-cache:page"
EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/static/", "/media/")
# Headers set by outer middleware on every response (never stored: they are added again).
UNSTORED_HEADERS = {"set-cookie", "content-security-policy", "permissions-policy", "x-cache"}


def cache_seconds() -> int:
    return int(getattr(settings, "PUBLIC_CACHE_SECONDS", 0) or 0)


def generation_key(scope: str) -> str:
    return f"{GENERATION_PREFIX}:{scope}"


def generations(scopes: Iterable[str]) -> dict[str, int] | None:
    """The generation of each scope, then of « any » (last), created on first use.

    A new generation is a timestamp: never an old number again. None when the cache cannot keep
    them (a server down degrades to misses, config/cache.py): pages are then neither read from
    nor stored in the cache.
    """
    keys = [generation_key(scope) for scope in scopes if scope != ANY] + [GENERATION_KEY]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, time.time_ns(), timeout=None)
        # « any » read again, last: a bump that created a scope meanwhile has moved it.
        found.update(cache.get_many([*missing, GENERATION_KEY]))
    try:
        return {key.removeprefix(f"{GENERATION_PREFIX}:"): int(found[key]) for key in keys}
    except (KeyError, TypeError, ValueError):
        return None


# The generations read during the current request of each thread (pages/memo.py): read once per
# request and scope, before the values shown are read; forgotten when the thread bumps one (a
# request that changes content then renders shows its change).
_request = threading.local()


def request_generations(scopes: Iterable[str]) -> dict[str, int] | None:
    """The generation of each scope as first read during this request (read now if not yet).

    Outside a request (shell, commands, tests calling a selector), read every time. None when
    the cache cannot keep them.
    """
    scopes = tuple(scopes)
    known = getattr(_request, "generations", None)
    if known is None:
        found = generations(scopes)
        return None if found is None else {scope: found[scope] for scope in scopes}
    missing = [scope for scope in scopes if scope not in known]
    if missing:
        found = generations(missing)
        if found is None:
            return None
        for scope in missing:
            known[scope] = found[scope]
    return {scope: known[scope] for scope in scopes}


def _request_started(sender=None, **kwargs) -> None:
    _request.generations = {}


def _request_finished(sender=None, **kwargs) -> None:
    _request.generations = None


def current_generation() -> int | None:
    """The generation of « any », which every change bumps (None when the cache is down)."""
    found = generations(())
    return found[ANY] if found else None


def bump_generation(scopes: Iterable[str] = (SITE,)) -> None:
    """Invalidate the cached pages that show these scopes, on every app server.

    « any » first: a miss that sees a scope's new generation then sees « any » moved too.
    """
    if getattr(_request, "generations", None):
        _request.generations = {}  # this request's values are read again, with the change
    for scope in [ANY, *sorted(set(scopes) - {ANY})]:
        key = generation_key(scope)
        try:
            cache.incr(key)
        except ValueError:  # not created yet (or evicted): any new number will do
            cache.set(key, time.time_ns(), timeout=None)
        except Exception:  # cache server down: nothing is being served from it either
            logger.warning(
                "Cache indisponible : génération %s non incrémentée", scope, exc_info=True
            )


# Scopes changed in the current transaction of each thread, bumped once after it commits (a
# 10,000-row import registers 10,000 callbacks: the first one does the work). A rolled-back
# transaction leaves its scopes to the next commit: one needless bump, never a missing one.
_pending = threading.local()


def _flush_pending() -> None:
    scopes = getattr(_pending, "scopes", None)
    _pending.scopes = None
    if scopes:
        bump_generation(scopes)


def invalidate_public_cache(scopes: Iterable[str] = (SITE,)) -> None:
    """Bump now (the rest of this transaction sees it) and again after commit.

    The second bump closes the window where a concurrent request, reading the database before
    the commit, would store the old content under the generation of the first bump. Outside a
    transaction the change is already committed: one bump.
    """
    scopes = set(scopes)
    bump_generation(scopes)
    if not connection.in_atomic_block:
        return
    pending = getattr(_pending, "scopes", None)
    if pending is None:
        pending = _pending.scopes = set()
    pending |= scopes
    transaction.on_commit(_flush_pending)


def page_key(request) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"{KEY_PREFIX}:{digest}"


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


def _still_valid(entry, any_generation: int) -> bool:
    """Whether a cached entry's scopes are still at the generations it was rendered at."""
    stored = entry[0]
    if set(stored) == {ANY}:
        return stored[ANY] == any_generation
    current = cache.get_many([generation_key(scope) for scope in stored])
    return all(current.get(generation_key(scope)) == value for scope, value in stored.items())


class PublicPageCacheMiddleware:
    """Serve anonymous public pages from the shared cache; store the cacheable misses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_cacheable(request):
            return self.get_response(request)
        key = page_key(request)
        try:
            found = cache.get_many([key, GENERATION_KEY])
            before = found.get(GENERATION_KEY)
            if before is None:
                before = current_generation()
                if before is None:
                    return self.get_response(request)
            entry = found.get(key)
            if entry is not None and _still_valid(entry, before):
                return self.cached_response(entry)
        except Exception:
            logger.warning("Cache indisponible : page servie sans cache", exc_info=True)
            return self.get_response(request)
        response = self.get_response(request)
        if request.method == "GET" and response_is_cacheable(request, response):
            self.store(request, response, key, before)
            response["X-Cache"] = "MISS"
        return response

    @staticmethod
    def cached_response(entry) -> HttpResponse:
        _generations, status, headers, content = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Cache"] = "HIT"
        return response

    @staticmethod
    def store(request, response, key: str, before: int) -> None:
        """Keep the page under its scopes' generations, unless something changed meanwhile."""
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in UNSTORED_HEADERS
        ]
        try:
            after = generations(declared_scopes(request))
            if after is None or after.pop(ANY) != before:
                return  # a change during the render: its content may predate the commit
            stored = after or {ANY: before}
            entry = (stored, response.status_code, headers, response.content)
            cache.set(key, entry, cache_seconds())
        except Exception:
            logger.warning("Cache indisponible : page non enregistrée", exc_info=True)


# Scopes. A page of a charter's tree depends on its charter; the tree is fixed by the page types'
# parent_page_types (charter > orientation > action), as the partner page's grouping reads it.


def charter_path_of(page) -> str | None:
    """The tree path of the charter a page of a charter's tree belongs to (None otherwise)."""
    from charter.models import ActionPage, CharterPage, OrientationPage

    levels = {CharterPage: 0, OrientationPage: 1, ActionPage: 2}.get(type(page))
    if levels is None:
        return None
    return page.path[: len(page.path) - levels * page.steplen]


def mark_page_scopes(page, request) -> None:
    """`before_serve_page` hook: a page of a charter's tree shows that charter (and the site)."""
    from core.cache_scopes import depends_on

    charter_path = charter_path_of(page)
    if charter_path is not None:
        depends_on(request, charter_paths=[charter_path])


def _cached_charter_path(instance, field: str) -> str | None:
    """The charter path of `instance.<field>` (a charter page), loading it only if needed."""
    from charter.models import CharterPage

    descriptor = type(instance)._meta.get_field(field)
    if descriptor.is_cached(instance):
        charter = getattr(instance, field)
        return charter.path if charter is not None else None
    charter_id = getattr(instance, descriptor.attname)
    return CharterPage.objects.filter(pk=charter_id).values_list("path", flat=True).first()


def _action_path(commitment) -> str | None:
    """The tree path of a commitment's action: loaded once per instance (post_save, history)."""
    from wagtail.models import Page

    from engagements.models import Commitment

    if Commitment._meta.get_field("action").is_cached(commitment):
        return commitment.action.path if commitment.action is not None else None
    known = commitment.__dict__.get("_public_cache_action_path")
    if known is None or known[0] != commitment.action_id:
        path = Page.objects.filter(pk=commitment.action_id).values_list("path", flat=True).first()
        known = commitment.__dict__["_public_cache_action_path"] = (commitment.action_id, path)
    return known[1]


def change_scopes(instance) -> set[str]:
    """The scopes whose pages show this record (« site »: every page, when unsure)."""
    from wagtail.models import Page

    from charter.models import (
        ActionPage,
        Declaration,
        MayorInvitationRequest,
        OrientationPage,
        Signatory,
        Signature,
    )
    from engagements.models import Commitment

    if isinstance(instance, Commitment):
        action_path = _action_path(instance)
        if action_path is None:
            return {SITE}
        charter_path = action_path[: len(action_path) - 2 * Page.steplen]
        return {charter_scope(charter_path), partner_scope(instance.partner_id)}
    if isinstance(instance, (Signatory, Declaration, MayorInvitationRequest, Signature)):
        charter_path = _cached_charter_path(instance, "charter")
        if charter_path is None:
            return {SITE}
        scopes = {charter_scope(charter_path)}
        if getattr(instance, "partner_id", None) is not None:
            scopes.add(partner_scope(instance.partner_id))
        return scopes
    if isinstance(instance, OrientationPage):
        # Shown on its charter's pages, its matrix and its partners' pages (which declare it).
        return {charter_scope(charter_path_of(instance))}
    if isinstance(instance, ActionPage):
        # The same, and on the actions that link to it (« liens avec d'autres fiches »), which
        # may belong to another charter.
        linking = ActionPage.objects.filter(related_actions=instance).values_list("path", flat=True)
        steps = 2 * Page.steplen
        paths = {instance.path, *linking}
        return {charter_scope(path[: len(path) - steps]) for path in paths}
    return {SITE}


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


def _on_change(sender=None, instance=None, **kwargs):
    invalidate_public_cache(change_scopes(instance))


def _on_publish(sender=None, instance=None, **kwargs):
    invalidate_public_cache(change_scopes(instance.specific_deferred))


def _on_site_change(sender=None, **kwargs):
    invalidate_public_cache()


def _on_page_log(sender=None, instance=None, created=False, **kwargs):
    # A charter's life-cycle step and « en vigueur » are written by an update (the service
    # charter_change_lifecycle_status), which sends no signal but logs the change.
    if created and instance.action == "charter.lifecycle":
        invalidate_public_cache()


def _on_page_delete(sender=None, instance=None, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        invalidate_public_cache()


def connect_receivers() -> None:
    """Connect the invalidation receivers (called once from PagesConfig.ready())."""
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import post_delete, post_save
    from simple_history.signals import post_create_historical_record
    from wagtail.models import PageLogEntry
    from wagtail.signals import page_published, page_unpublished, post_page_move

    uid = "public-page-cache"
    request_started.connect(_request_started, dispatch_uid=f"{uid}-request-started")
    request_finished.connect(_request_finished, dispatch_uid=f"{uid}-request-finished")
    page_published.connect(_on_publish, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(_on_publish, dispatch_uid=f"{uid}-unpublished")
    post_page_move.connect(_on_site_change, dispatch_uid=f"{uid}-moved")
    post_delete.connect(_on_page_delete, dispatch_uid=f"{uid}-page-deleted")
    post_save.connect(_on_page_log, sender=PageLogEntry, dispatch_uid=f"{uid}-page-log")
    post_create_historical_record.connect(_on_change, dispatch_uid=f"{uid}-history")
    for model in registered_models():
        label = model._meta.label
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save-{label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete-{label}")
