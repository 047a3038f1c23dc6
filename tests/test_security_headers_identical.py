"""The security headers, byte for byte, on a public page, an admin page and a nonce page.

Written against django-csp's own per-response policy building, before SecurityHeadersMiddleware
precomputed the header (issue 19): precomputing must change nothing. django-csp orders the
directives by a set (it varies from process to process), so the expected header is built by
`csp.utils.build_policy` in this process; the directives themselves are spelled out too.
"""

import re

import pytest
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import override_settings

from config.middleware import ADMIN_CSP_REPLACE, ADMIN_CSP_UPDATE, SecurityHeadersMiddleware

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "Permissions-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
)
PERMISSIONS = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)
PUBLIC_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "style-src": "'self'",
    "font-src": "'self'",
    "img-src": "'self' data:",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "connect-src": "'self'",
}
ADMIN_DIRECTIVES = {
    **PUBLIC_DIRECTIVES,
    "script-src": "'self' 'unsafe-inline'",
    "style-src": "'self' 'unsafe-inline'",
    "frame-ancestors": "'self'",
}
PUBLIC_CSP = build_policy()
ADMIN_CSP = build_policy(replace=ADMIN_CSP_REPLACE, update=ADMIN_CSP_UPDATE)


def directives(header: str) -> dict[str, str]:
    return dict(part.split(" ", 1) for part in header.split("; "))


def test_the_expected_policies_are_the_projects():
    assert directives(PUBLIC_CSP) == PUBLIC_DIRECTIVES
    assert directives(ADMIN_CSP) == ADMIN_DIRECTIVES


COMMON = {
    "Permissions-Policy": PERMISSIONS,
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def security_headers(response) -> dict[str, str]:
    return {name: response[name] for name in SECURITY_HEADERS if name in response}


@override_settings(PUBLIC_CACHE_SECONDS=0)
def test_public_page_headers_are_byte_identical(client, charter_page):
    for url in ("/", charter_page.url, "/page-inexistante/"):
        for _ in range(2):  # the first response builds the header, the second reuses it
            response = client.get(url)
            assert security_headers(response) == {
                "Content-Security-Policy": PUBLIC_CSP,
                **COMMON,
            }, url


def test_admin_page_headers_are_byte_identical(admin_client):
    from django.test import Client

    for http, url in ((admin_client, "/admin/"), (admin_client, "/admin/pages/"),
                      (Client(), "/admin/login/")):  # fmt: skip
        for _ in range(2):
            response = http.get(url)
            assert response.status_code == 200, url
            assert security_headers(response) == {
                "Content-Security-Policy": ADMIN_CSP,
                **COMMON,
            }, url


def _nonce_view(request):
    return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')


def test_nonce_page_header_carries_this_responses_nonce(rf):
    middleware = SecurityHeadersMiddleware(_nonce_view)
    nonces = set()
    for _ in range(2):
        response = middleware(rf.get("/"))
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        nonces.add(nonce)
        assert response["Content-Security-Policy"] == build_policy(nonce=nonce)
        assert directives(response["Content-Security-Policy"])["script-src"] == (
            f"'self' 'nonce-{nonce}'"
        )
        assert response["Permissions-Policy"] == PERMISSIONS
    assert len(nonces) == 2
    # A page without the nonce right after: no nonce left over in its header.
    plain = SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))(rf.get("/"))
    assert plain["Content-Security-Policy"] == PUBLIC_CSP


def test_a_view_own_policy_and_exemption_are_still_honoured(rf):
    from csp.decorators import csp_exempt, csp_update

    updated = SecurityHeadersMiddleware(csp_update({"img-src": "https://example.org"})(
        lambda request: HttpResponse("ok")))(rf.get("/"))  # fmt: skip
    assert updated["Content-Security-Policy"] == build_policy(
        update={"img-src": "https://example.org"}
    )
    assert "img-src 'self' data: https://example.org" in updated["Content-Security-Policy"]
    exempt = SecurityHeadersMiddleware(csp_exempt()(lambda request: HttpResponse("ok")))(
        rf.get("/")
    )
    assert "Content-Security-Policy" not in exempt


def test_the_policy_follows_a_settings_change(rf):
    from django.conf import settings

    view = SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))
    assert view(rf.get("/"))["Content-Security-Policy"] == PUBLIC_CSP
    policy = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]}}
    policy["DIRECTIVES"]["img-src"] = ["'self'"]
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        changed = view(rf.get("/"))["Content-Security-Policy"]
        assert changed == build_policy()
        assert directives(changed)["img-src"] == "'self'"
    assert view(rf.get("/"))["Content-Security-Policy"] == PUBLIC_CSP


def test_the_policy_is_built_once_not_per_response(rf, monkeypatch):
    import csp.middleware

    import config.middleware

    calls = []

    def counting(*args, **kwargs):
        calls.append(kwargs.get("report_only", False))
        return build_policy(*args, **kwargs)

    monkeypatch.setattr(csp.middleware, "build_policy", counting)
    monkeypatch.setattr(config.middleware, "build_policy", counting, raising=False)
    getattr(config.middleware, "_PRECOMPUTED", {}).clear()
    view = SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))
    for path in ("/", "/admin/") * 10:
        assert view(rf.get(path))["Content-Security-Policy"] in (PUBLIC_CSP, ADMIN_CSP)
    assert len(calls) <= 4  # public and admin, each with its report-only variant
