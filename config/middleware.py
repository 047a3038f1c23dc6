"""Project-wide middleware: security headers, and a static 503 page when the database is down."""

import logging
import sys

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.signals import got_request_exception
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


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's Content-Security-Policy (relaxed under the admins), and Permissions-Policy."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES):
            parts.replace = {**(parts.replace or {}), **ADMIN_CSP_REPLACE}
            update = dict(parts.update or {})
            for directive, values in ADMIN_CSP_UPDATE.items():
                update[directive] = [*update.get(directive, []), *values]
            parts.update = update
        return parts

    def process_response(self, request, response):
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
