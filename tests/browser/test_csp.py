"""Under the real Content-Security-Policy, Chromium reports no violation: public pages, the
Wagtail admin login page, the dashboard and page editors (charter and action)."""

import pytest

from .conftest import CHROMIUM  # noqa: F401  (the browser fixture skips without Chromium)

# The marker makes pytest-django set up the test database (the live server's and the fixture's);
# the test itself reads nothing, so its transaction never blocks the live server's writes.
pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-42"

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture(scope="module")
def editor_account(django_db_setup, django_db_blocker):
    """A superuser (and the site settings row, created on first use) committed for the live
    server's connection, with the pages to open; removed after this module."""
    from django.contrib.auth import get_user_model

    from charter.models import ActionPage, CharterPage
    from pages.models import SiteSettings

    with django_db_blocker.unblock():
        created_settings = not SiteSettings.objects.exists()
        SiteSettings.load()
        user = get_user_model().objects.create_superuser(
            "csp-navigateur", "csp@example.org", PASSWORD
        )
        charter = CharterPage.objects.get(slug="charte-synthetique")
        action = ActionPage.objects.descendant_of(charter).live().first()
        pages = {"charter": (charter.pk, charter.url), "action": (action.pk, action.url)}
    yield user, pages
    with django_db_blocker.unblock():
        user.delete()
        if created_settings:
            SiteSettings.objects.all().delete()


def visit(page, url):
    page.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(url, wait_until="networkidle")
    violations = page.evaluate("window.__cspViolations")
    return response.status, violations


def test_public_pages_and_the_admin_have_no_csp_violation(editor_account, browser, site_url):
    user, pages = editor_account
    (charter_pk, charter_url), (action_pk, action_url) = pages["charter"], pages["action"]
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    try:
        for path in ("/", charter_url, action_url, "/admin/login/"):
            status, violations = visit(page, site_url + path)
            assert status == 200, path
            assert violations == [], path
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        for path in (
            "/admin/",
            f"/admin/pages/{charter_pk}/edit/",
            f"/admin/pages/{action_pk}/edit/",
        ):
            status, violations = visit(page, site_url + path)
            assert status == 200, path
            assert violations == [], path
        assert [e for e in console_errors if "Content Security Policy" in e] == []
    finally:
        context.close()
