"""Content-Security-Policy and the other security headers, on public and admin responses."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict([*part.strip().split(" ", 1), ""][:2] for part in header.split(";") if part.strip())


def assert_common_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@override_settings(PUBLIC_CACHE_SECONDS=0)
def test_public_pages_carry_the_strict_policy(client, charter_page):
    for url in ("/", charter_page.url, "/versions/charte-synthetique/", "/page-inexistante/"):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert directives(response) | STRICT == directives(response), url
        assert "unsafe-inline" not in response["Content-Security-Policy"], url
        assert_common_headers(response)


def test_admin_pages_carry_the_policy_relaxed_only_for_inline_code(admin_client):
    for url in ("/admin/", "/admin/pages/"):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert policy["default-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        assert policy["img-src"] == "'self' data:"
        assert policy["script-src"] == "'self' 'unsafe-inline'"
        assert policy["style-src"] == "'self' 'unsafe-inline'"
        assert policy["frame-ancestors"] == "'self'"
        assert_common_headers(response)


def test_admin_login_page_for_anonymous_visitors_too(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in directives(response)["script-src"]
    assert_common_headers(response)


def test_a_template_using_the_nonce_gets_it_in_the_header(rf):
    from django.http import HttpResponse

    from config.middleware import SecurityHeadersMiddleware

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    request = rf.get("/")
    response = SecurityHeadersMiddleware(view)(request)
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]
