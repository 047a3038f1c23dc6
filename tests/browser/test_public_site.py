"""Every public page type, in both themes, at phone and desktop widths: zero axe violations,
keyboard access, the main links followed and the acronym markup checked in a real Chromium."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import override_settings
from django.urls import reverse

from charter.models import Partner
from publishing.models import CharterVersion
from tests.public_pages import PAGE_KINDS, THEMES, page_path

from .conftest import WIDTHS


@pytest.fixture(scope="module")
def public_version(django_db_blocker):
    """A public version of the synthetic charter (as `make run` freezes it), committed so that the
    live server's connection sees it; removed after this module's tests."""
    import datetime

    from charter.models import CharterPage
    from publishing.services import version_create

    with django_db_blocker.unblock():
        charter = CharterPage.objects.get(slug="charte-synthetique")
        version = CharterVersion.objects.filter(charter=charter, is_public=True).first()
        created = version is None
        if created:
            version = version_create(
                charter=charter,
                name="Charte 2017 (tests du navigateur)",
                effective_date=datetime.date(2017, 12, 14),
                user=None,
                is_public=True,
            )
    yield version
    if created:
        with django_db_blocker.unblock():
            version.delete()


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", list(WIDTHS), ids=list(WIDTHS))
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_public_page_has_no_accessibility_violation(
    open_page, charter_page, plan, public_version, kind, theme, width
):
    path = page_path(kind, charter_page, plan)
    with override_settings(SITE_THEME=theme):
        page = open_page(path, width=WIDTHS[width])
        assert page.status == (404 if kind == "page-introuvable" else 200), path
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("h1").count() == 1
        results = Axe().run(page)
    violations = results.response["violations"]
    assert violations == [], f"{path} ({theme}, {width}):\n{format_violations(violations)}"
    expected = ["the server responded with a status of 404"] if kind == "page-introuvable" else []
    assert [e for e in page.errors if not any(x in e for x in expected)] == [], page.errors


@pytest.mark.parametrize("theme", THEMES)
def test_keyboard_skip_link_reaches_the_content_with_a_visible_focus(open_page, theme):
    with override_settings(SITE_THEME=theme):
        page = open_page("/")
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const el = document.activeElement; const style = getComputedStyle(el);
            return {text: el.textContent.trim(), href: el.getAttribute('href'),
                    outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                    shadow: style.boxShadow, visible: el.getBoundingClientRect().width > 0}; }"""
        )
        assert focused["text"] == "Aller au contenu"
        assert focused["href"] == "#contenu"
        assert focused["visible"]
        assert (focused["outline"] != "none" and focused["width"] > 0) or focused["shadow"] != (
            "none"
        )
        page.keyboard.press("Enter")
        assert page.evaluate("() => location.hash") == "#contenu"
        page.keyboard.press("Tab")
        inside_main = page.evaluate("() => !!document.activeElement.closest('main')")
        assert inside_main


@pytest.mark.parametrize("theme", THEMES)
def test_main_links_lead_from_the_home_page_to_a_commitment_history(open_page, charter_page, theme):
    with override_settings(SITE_THEME=theme):
        page = open_page("/", width=1280)
        page.get_by_role("navigation", name="Menu principal").get_by_role(
            "link", name="La charte"
        ).click()
        assert page.url.endswith(charter_page.url)
        assert page.locator("h1").inner_text() == charter_page.title

        page.get_by_role("navigation", name="Sommaire").get_by_role(
            "link", name="Action 3 :", exact=False
        ).click()
        assert page.evaluate("() => location.hash") == "#action-3"

        page.get_by_role("link", name="Fiche de l'action 3").click()
        assert page.locator("h1").inner_text().startswith("Action 3 :")

        page.get_by_role("link", name="Historique").first.click()
        assert "/engagements/historique/" in page.url
        assert page.locator("h1").count() == 1

        page.get_by_role("navigation", name="Menu principal").get_by_role(
            "link", name="Engagements"
        ).click()
        page.get_by_role("link", name="CAF", exact=True).first.click()
        assert page.url.endswith(reverse("engagements_public:partner", kwargs={"slug": "caf"}))

        page.get_by_role("navigation", name="Menu principal").get_by_role(
            "link", name="Lexique"
        ).click()
        assert page.locator("h1").inner_text().startswith("Lexique")


def test_acronyms_are_marked_up_and_linked_to_the_lexicon(open_page, charter_page):
    page = open_page(charter_page.url)
    abbrs = page.locator("main abbr[title]")
    assert abbrs.count() > 5  # CAF, ADIL, CCAPEX… in the synthetic titles and texts
    markup = page.evaluate(
        """() => [...document.querySelectorAll('main abbr[title]')].map(el => ({
            text: el.textContent, title: el.title,
            link: (el.closest('a') || el.querySelector('a') || {}).getAttribute?.call(
                el.closest('a') || el.querySelector('a'), 'href') || null,
            inHeading: !!el.closest('h1,h2,h3,h4,h5,h6'),
            nestedLinks: document.querySelectorAll('a a').length }))"""
    )
    caf = next(item for item in markup if item["text"] == "CAF")
    assert caf["title"] == "Caisse d'allocations familiales"
    assert caf["link"].startswith(reverse("glossary:lexicon") + "#")
    assert not any(item["inHeading"] for item in markup)
    assert markup[0]["nestedLinks"] == 0
    # The link leads to the entry on the lexicon page.
    page.goto(page.url.split(charter_page.url)[0] + caf["link"])
    anchor = caf["link"].split("#", 1)[1]
    assert "CAF" in page.locator(f"[id='{anchor}']").inner_text()


def test_matrix_is_a_list_on_a_phone_without_javascript(open_page, charter_page):
    path = reverse("engagements_public:matrix", kwargs={"charter_slug": charter_page.slug})
    phone = open_page(path, width=375, javascript=False)
    assert not phone.locator("main table").first.is_visible()
    assert phone.locator("main .only-narrow").first.is_visible()
    desktop = open_page(path, width=1280, javascript=False)
    assert desktop.locator("main table").first.is_visible()
    partners = Partner.objects.filter(commitments__action__path__startswith=charter_page.path)
    assert desktop.get_by_text(partners.first().short_name).first.is_visible()
