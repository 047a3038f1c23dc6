"""Project-wide middleware: security headers, and a static 503 page when the database is down."""

import http.client
import logging
import sys
from dataclasses import asdict

from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import got_request_exception, setting_changed
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# The Wagtail admin is not fully CSP-compatible (checked with headless Chromium on the login
# page, the dashboard, the page explorer, snippet listings and the page editors): its legacy
# widgets (date chooser, snippet chooser…) print an inline <script> next to each field, and its
# preview panel frames an /admin/ page. The project's own admin templates (monitoring dashboard,
# review campaigns) use a <style> block and style="" attributes; Wagtail's own pages showed no
# style violation. So, for /admin/ and /django-admin/ only (staff, behind a login): script-src
# allows 'unsafe-inline' (and carries no nonce, which would make browsers ignore it), style-src
# allows 'unsafe-inline', and frame-ancestors is 'self' instead of 'none'. The public site keeps
# the strict policy: no inline script or style at all.
ADMIN_PREFIXES = ("/admin/", "/django-admin/")
ADMIN_CSP_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "frame-ancestors": [SELF],
}
ADMIN_CSP_UPDATE = {"style-src": [UNSAFE_INLINE]}

RETRY_AFTER_SECONDS = 120


# The headers of a response without a nonce and without a view's own policy depend only on the
# settings and on whether the path is an admin one: built once per process (issue 19: django-csp
# rebuilt them for every response, a third of the middleware chain's cost), keyed by
# (is_admin, report_only), emptied when a CSP setting changes (override_settings in tests).
_PRECOMPUTED: dict[tuple[bool, bool], str] = {}
_CSP_SETTINGS = frozenset({"CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"})
_VIEW_POLICY_ATTRIBUTES = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro",
    "_csp_replace_ro",
)  # fmt: skip
_DEBUG_EXEMPT_CODES = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)


def _forget_precomputed_policies(*, setting, **kwargs):
    if setting in _CSP_SETTINGS or setting == "DEBUG":
        _PRECOMPUTED.clear()


setting_changed.connect(_forget_precomputed_policies, dispatch_uid="charte-csp-precomputed")


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's Content-Security-Policy (relaxed under the admins), and Permissions-Policy.

    A response with no nonce and no view-specific policy gets a header string built once per
    process (the same bytes django-csp builds); any other response goes through django-csp.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES):
            parts.replace = {**(parts.replace or {}), **ADMIN_CSP_REPLACE}
            update = dict(parts.update or {})
            for directive, values in ADMIN_CSP_UPDATE.items():
                update[directive] = [*update.get(directive, []), *values]
            parts.update = update
        return parts

    def _precomputable(self, request, response) -> bool:
        if getattr(request, "_csp_nonce", None) is not None:
            return False
        if response.status_code in _DEBUG_EXEMPT_CODES and settings.DEBUG:
            return False  # django-csp leaves the debug pages alone
        if any(getattr(response, name, None) is not None for name in _VIEW_POLICY_ATTRIBUTES):
            return False
        for name in _CSP_SETTINGS:  # excluded prefixes: django-csp decides
            if (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES"):
                return False
        return True

    def _policy(self, request, response, *, report_only: bool) -> str:
        key = (request.path_info.startswith(ADMIN_PREFIXES), report_only)
        policy = _PRECOMPUTED.get(key)
        if policy is None:
            parts = self.get_policy_parts(request, response, report_only=report_only)
            policy = build_policy(**asdict(parts), report_only=report_only)
            _PRECOMPUTED[key] = policy
        return policy

    def process_response(self, request, response):
        if self._precomputable(request, response):
            csp = self._policy(request, response, report_only=False)
            if csp and HEADER not in response and not getattr(response, "_csp_exempt", False):
                response[HEADER] = csp
            csp_ro = self._policy(request, response, report_only=True)
            if (
                csp_ro
                and HEADER_REPORT_ONLY not in response
                and not getattr(response, "_csp_exempt_ro", False)
            ):
                response[HEADER_REPORT_ONLY] = csp_ro
            # As django-csp does: a nonce asked for after the header is written is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        else:
            response = super().process_response(request, response)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


def is_database_unavailable(error: BaseException | None) -> bool:
    """True for the errors of a database that cannot be reached or used at all.

    OperationalError (connection refused, unopenable SQLite file, server gone) and InterfaceError
    (closed connection), and a bare DatabaseError as some drivers raise while connecting; never
    the subclasses that mean a bug or bad data (IntegrityError, ProgrammingError, DataError…).
    """
    return isinstance(error, (OperationalError, InterfaceError)) or type(error) is DatabaseError


def database_unavailable_response() -> HttpResponse:
    """The static 503 page: no request context, so no context processor touches the database."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _mark_database_error(sender, request=None, **kwargs):
    """An exception raised outside a view (in another middleware) reaches only this signal."""
    error = sys.exc_info()[1]
    if request is not None and is_database_unavailable(error):
        request._database_unavailable = True


got_request_exception.connect(_mark_database_error, dispatch_uid="charte-database-unavailable")


class DatabaseUnavailableMiddleware:
    """The database cannot be reached → a French 503 page with Retry-After, never a stack trace."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "_database_unavailable", False):
            return database_unavailable_response()
        return response

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.error("Base de données indisponible : %s", exception, exc_info=exception)
        return database_unavailable_response()
