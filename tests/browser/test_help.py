"""A household on a phone: from the home page to its stage's contacts in two taps, nothing wider
than the screen, in both themes (axe runs on the help pages through tests/public_pages.py)."""

import pytest
from django.test import override_settings

from tests.public_pages import THEMES

PHONE = 375
FOLD = 667  # a 375 × 667 phone screen


@pytest.fixture(scope="module")
def stage_contact(django_db_blocker):
    """A contact of the stage « Le commandement de payer », committed so that the live server
    sees it; removed after this module's tests."""
    from assistance.models import Contact, HelpStagePage

    with django_db_blocker.unblock():
        stage = HelpStagePage.objects.get(slug="le-commandement-de-payer")
        contact = Contact.objects.create(
            name="Permanence de test du navigateur",
            what_they_do="Conseils gratuits sur le commandement de payer.",
            phone="01 23 45 67 89",
            territory="Département de test",
        )
        contact.stages.set([stage])
    yield contact
    with django_db_blocker.unblock():
        contact.delete()


@pytest.mark.parametrize("theme", THEMES)
def test_a_household_reaches_its_stage_contacts_in_two_taps_on_a_phone(
    open_page, stage_contact, theme
):
    with override_settings(SITE_THEME=theme):
        page = open_page("/", width=PHONE)
        entry = page.locator("main").get_by_role("link", name="Locataire en difficulté ?")
        if theme == "dsfr":  # the DSFR script folds the menu into its « Menu » button
            page.wait_for_selector("html[data-fr-js='true']", state="attached")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        label = entry.locator("strong").bounding_box()
        assert label and label["y"] + label["height"] <= FOLD, label  # on the first screen
        entry.click()  # tap 1
        assert page.url.endswith("/aide/")
        page.locator("main").get_by_role(
            "link", name="Étape 2 Le commandement de payer"
        ).click()  # tap 2
        assert page.url.endswith("/aide/le-commandement-de-payer/")
        helpers = page.locator("#qui-peut-aider").locator("xpath=..")
        card = helpers.locator(".contact-card", has_text=stage_contact.name)
        assert card.is_visible()
        phone = card.get_by_role("link", name="01 23 45 67 89")
        assert phone.get_attribute("href") == "tel:0123456789"
        assert page.errors == []


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/aide/",
        "/aide/le-commandement-de-payer/",
        "/aide/lexpulsion/",
        "/aide/proprietaire/",
        "/recherche/?q=115",
        "/recherche/?q=CAF&type=commitments&page=2",
    ],
)
def test_no_horizontal_overflow_on_a_phone(open_page, stage_contact, theme, path):
    with override_settings(SITE_THEME=theme):
        page = open_page(path, width=PHONE)
        assert page.status == 200
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE, f"{path} ({theme}): {width} px"
        # Step numbers are whole (not clipped by their box) on the stages list.
        if path == "/aide/":
            clipped = page.evaluate(
                """() => [...document.querySelectorAll('.help-steps__number')].filter(
                  el => el.scrollWidth > el.clientWidth || el.getBoundingClientRect().left < 0
                ).length"""
            )
            assert clipped == 0
