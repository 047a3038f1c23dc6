"""Browser tests: Debian's Chromium driven by Playwright against a live server of the test DB.

The server runs in a thread of the test process, so `override_settings` (the theme) applies to
it; the tests use the `db` fixture and only read the synthetic charter committed at session start.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {"mobile": 375, "desktop": 1280}


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module.

    Playwright's sync API runs an event loop in this thread, so Django must not refuse the ORM
    meanwhile (DJANGO_ALLOW_ASYNC_UNSAFE); the variable is removed afterwards, before it can
    reach other tests' subprocesses (`check --deploy` rightly rejects it).
    """
    if not os.path.exists(CHROMIUM):
        message = "Chromium absent : apt-get install chromium (le CI l'installe)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def site_url():
    """The base URL of a live server (a thread of this process) serving static files too."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture
def open_page(browser, site_url, db):
    """Open a path at a given width; returns the Playwright page (closed after the test).

    `session`: a committed session key (`admin_session`) to be logged in, without the form.
    """
    contexts = []

    def _open(path: str, *, width: int = 1280, javascript: bool = True, session: str | None = None):
        from django.conf import settings

        context = browser.new_context(
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
            locale="fr-FR",
        )
        if session is not None:
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site_url}]
            )
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on(
            "console",
            lambda msg: page.errors.append(msg.text) if msg.type == "error" else None,
        )
        response = page.goto(site_url + path, wait_until="load")
        page.status = response.status if response else None
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def open_admin_page(open_page):
    """Open an admin path at a given width, logged in with `session` (a session cookie, no form).

    The user and the session must be committed (module fixture under `django_db_blocker`) for
    the live server's own connection to see them; `admin_session` builds the cookie.
    """

    def _open(path: str, *, session: str, width: int = 1280):
        return open_page(path, width=width, session=session)

    return _open


def admin_session(user) -> str:
    """A committed session key logging `user` in (call it under `django_db_blocker.unblock()`)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def axe_violations(page, *, exclude: dict[str, list[str]] | None = None) -> list[dict]:
    """axe-core's violations on the page (the project's copy, axe-playwright-python).

    `exclude` maps a rule id to the CSS selectors of nodes it may fail on (Wagtail's own markup
    the project cannot change; each entry carries its reason where it is declared): only those
    nodes are ignored, the rule still runs everywhere else.
    """
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    exclude = exclude or {}
    kept = []
    for violation in violations:
        allowed = exclude.get(violation["id"], [])
        nodes = [
            node
            for node in violation["nodes"]
            if not any(selector == ", ".join(node["target"]) for selector in allowed)
        ]
        if nodes:
            kept.append({**violation, "nodes": nodes})
    return kept


def describe_violations(violations: list[dict]) -> str:
    """One line per violation: rule, impact, help and the first targets."""
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:4]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
    return "\n".join(lines)


def page_overflow(page) -> int:
    """How many pixels the whole page scrolls sideways (0: no horizontal scrolling)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def unlabelled_table_scrollers(page) -> list[str]:
    """Tables a user cannot read whole: cut off at the window's edge with no box to scroll them,
    or in a box that scrolls sideways without being a named, focusable region (keyboard and
    screen-reader users must be able to reach and scroll it)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('table')].map(table => {
            const name = table.querySelector('caption')?.textContent.trim() || table.className;
            let box = table.parentElement;
            while (box && box !== document.body) {
                const overflow = getComputedStyle(box).overflowX;
                if (['auto', 'scroll'].includes(overflow) && box.scrollWidth > box.clientWidth) {
                    const named = box.getAttribute('role') === 'region'
                        && box.getAttribute('aria-label') && box.getAttribute('tabindex') === '0';
                    return named ? null : 'sans région nommée : ' + name;
                }
                box = box.parentElement;
            }
            const right = table.getBoundingClientRect().right;
            return right > document.documentElement.clientWidth + 1 ? 'coupé : ' + name : null;
        }).filter(Boolean)"""
    )
