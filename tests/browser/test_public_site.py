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
            "link", name="La charte", exact=True
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


OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')].filter(el => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1;
    }).slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.className && typeof el.className === 'string' ? '.' + el.className.trim()
        .split(/\\s+/).join('.') : '') + ' (' + Math.round(el.getBoundingClientRect().right)
        + ' px)');
    return {scrollWidth: document.documentElement.scrollWidth, viewport: width, wide: wide};
}"""


# RGAA 10.12: the text spacing a user may impose (line 1.5, letters .12 em, words .16 em,
# paragraphs 2 em).
TEXT_SPACING = """() => { const style = document.createElement('style');
    style.textContent = '* { line-height: 1.5 !important; letter-spacing: .12em !important; '
        + 'word-spacing: .16em !important; } p { margin-bottom: 2em !important; }';
    document.head.appendChild(style); }"""
# RGAA 10.7: every visible link, button and field shows a focus outline (or ring) when reached
# with the keyboard.
FOCUS_INVISIBLE = """() => [...document.querySelectorAll('a[href], button, input, select')]
    .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
    .filter(el => { el.focus();
        // The DSFR draws the ring of a stretched link (.fr-enlarge-link) on its ::before.
        const ring = [getComputedStyle(el), getComputedStyle(el, '::before')].some(style =>
            (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
            || style.boxShadow !== 'none');
        return document.activeElement === el && !ring; })
    .slice(0, 5).map(el => el.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_public_page_does_not_scroll_sideways_on_a_phone(
    open_page, charter_page, plan, public_version, kind, theme
):
    """No horizontal scrolling of the page at 375 px, nor at RGAA 10.11's 320 px, nor with the
    text spacing of 10.12, nor with the text at 200 % (10.4) on a 640 px window (a wide table
    scrolls inside its own region, the page does not); and a visible keyboard focus (10.7)."""
    path = page_path(kind, charter_page, plan)
    with override_settings(SITE_THEME=theme):
        page = open_page(path, width=WIDTHS["mobile"])
        measures = {"375 px": page.evaluate(OVERFLOW)}
        page.set_viewport_size({"width": 320, "height": 900})
        measures["320 px"] = page.evaluate(OVERFLOW)
        page.evaluate(TEXT_SPACING)
        measures["320 px, espacement du texte"] = page.evaluate(OVERFLOW)
        page.set_viewport_size({"width": 640, "height": 900})
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        measures["640 px, texte à 200 %"] = page.evaluate(OVERFLOW)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.keyboard.press("Tab")  # keyboard modality: :focus-visible applies
        unfocused = page.evaluate(FOCUS_INVISIBLE)
    for label, measure in measures.items():
        assert measure["scrollWidth"] <= measure["viewport"], (
            f"{path} ({theme}, {label}) : {measure['scrollWidth']} px de large pour "
            f"{measure['viewport']} px ; trop larges : {measure['wide']}"
        )
    assert unfocused == [], f"{path} ({theme}) : focus invisible sur {unfocused}"


@pytest.mark.parametrize("width", list(WIDTHS), ids=list(WIDTHS))
def test_dsfr_skip_links_reach_the_menu_and_the_search_at_every_width(open_page, width):
    """On a phone the DSFR folds the menu and the search into dialogs: the skip links then lead
    to the buttons that open them, never to a hidden target (RGAA 12.6)."""
    with override_settings(SITE_THEME="dsfr"):
        page = open_page("/lexique/", width=WIDTHS[width])
        reached = {}
        for label in ("Aller au menu", "Aller à la recherche"):
            link = page.get_by_role("link", name=label, exact=True)
            assert link.count() == 1  # the other one is display:none at this width
            link.focus()
            page.keyboard.press("Enter")
            if width == "desktop":  # the target region: the next Tab lands inside it
                page.keyboard.press("Tab")
            reached[label] = page.evaluate(
                """() => { const el = document.activeElement;
                return {id: el.id, inNav: !!el.closest('#navigation'),
                        inSearch: !!el.closest('#modale-recherche'),
                        visible: el.getBoundingClientRect().height > 0}; }"""
            )
        if width == "desktop":
            assert reached["Aller au menu"]["inNav"] and reached["Aller au menu"]["visible"]
            assert reached["Aller à la recherche"]["inSearch"]
            assert reached["Aller à la recherche"]["visible"]
        else:
            assert reached["Aller au menu"]["id"] == "bouton-menu"
            assert reached["Aller à la recherche"]["id"] == "bouton-recherche"
            assert all(target["visible"] for target in reached.values())
            page.get_by_role("link", name="Aller au menu", exact=True).focus()
            page.keyboard.press("Enter")
            page.keyboard.press("Enter")  # the focused « Menu » button opens the menu dialog
            dialog = page.locator("#modale-menu")
            dialog.get_by_role("link", name="Lexique").wait_for(state="visible")
            assert dialog.get_attribute("role") == "dialog"
