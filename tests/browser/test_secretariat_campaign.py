"""The secretariat's yearly campaign in Chromium (issue 14): open it, close it through a
confirmation page (what will happen, until when it can be undone), reopen it with a new deadline;
the partner's admin home then announces that deadline."""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from wagtail.models import ModelLogEntry

from charter.roles import PARTNER_CONTRIBUTORS, SECRETARIAT
from conftest import restore_session_state
from core.text import french_date
from engagements.tests.factories import user_with_role

from .conftest import WIDTHS, page_overflow

PASSWORD = "campagne-secretariat-2026"
YEAR = 2095


@pytest.fixture(scope="module")
def people(django_db_blocker):
    """The secretariat and a CAF contributor, with passwords, committed for the live server;
    removed afterwards with the campaign of YEAR and what they logged."""
    from charter.models import CharterPage, Partner
    from monitoring.models import ReviewCampaign
    from tests.synthetic import CHARTER_SLUG

    with django_db_blocker.unblock():
        restore_session_state()
        last_log = ModelLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        secretary = user_with_role(SECRETARIAT, username="campagne-secretariat")
        partner = user_with_role(
            PARTNER_CONTRIBUTORS,
            partner=Partner.objects.get(short_name="CAF"),
            username="campagne-caf",
        )
        for user in (secretary, partner):
            user.set_password(PASSWORD)
            user.save()
        charter_pk = CharterPage.objects.get(slug=CHARTER_SLUG).pk
    yield secretary, partner, charter_pk
    with django_db_blocker.unblock():
        ReviewCampaign.objects.filter(year=YEAR).delete()
        ModelLogEntry.objects.filter(pk__gt=last_log).delete()
        users = get_user_model().objects.filter(pk__in=[secretary.pk, partner.pk])
        keys = [
            session.session_key
            for session in Session.objects.all()
            if str(session.get_decoded().get("_auth_user_id")) in {str(u.pk) for u in users}
        ]
        Session.objects.filter(session_key__in=keys).delete()
        users.delete()


def log_in(open_page, user, *, width: int):
    page = open_page("/admin/login/?next=/admin/", width=width)
    page.set_default_timeout(15000)
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")
    return page


def look(page, name: str) -> None:
    """The screen at each width: no sideways scrolling of the whole page; full-page screenshots
    to look at when CAMPAIGN_SCREENSHOTS names a folder."""
    folder = os.environ.get("CAMPAIGN_SCREENSHOTS")
    for size in WIDTHS.values():
        page.set_viewport_size({"width": size, "height": 900})
        assert page_overflow(page) <= 0, f"{name} défile horizontalement à {size} px"
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=Path(folder) / f"{name}-{size}.png", full_page=True)
    page.set_viewport_size({"width": WIDTHS["mobile"], "height": 900})


def test_the_secretariat_closes_then_reopens_a_campaign(open_page, people):
    from monitoring.models import ReviewCampaign

    # No query from this thread before the end: its read would lock SQLite for the server.
    secretary, partner, charter_pk = people
    size, year = WIDTHS["mobile"], YEAR  # on a phone; each screen is also seen at 1,280 px
    today = datetime.date.today()
    first_deadline = today + datetime.timedelta(days=20)
    new_deadline = today + datetime.timedelta(days=45)
    page = log_in(open_page, secretary, width=size)

    # Open the campaign from the list of campaigns.
    page.goto(page.url + "suivi/campagnes/")
    page.select_option("select[name=charter]", str(charter_pk))
    page.get_by_label("Année évaluée").fill(str(year))
    page.get_by_label("Date limite de mise à jour").fill(first_deadline.isoformat())
    page.get_by_role("button", name="Ouvrir la campagne").click()
    page.wait_for_url("**/suivi/campagnes/*/")
    assert f"Campagne de bilan {year} ouverte." in page.content()
    detail_url = page.url

    # Close: a confirmation page first, saying what will happen and until when it can be undone.
    page.get_by_role("link", name="Clôturer la campagne…").click()
    page.wait_for_url("**/cloturer/")
    confirmation = page.locator("main").inner_text()
    assert f"Clôturer la campagne de bilan {year}" in confirmation
    assert "fige l'état de chaque engagement" in confirmation
    assert "arrête les relances" in confirmation
    assert "tant que le comité de suivi ne s'est pas réuni" in confirmation
    assert f"le {french_date(first_deadline)}, dans 20 jours" in confirmation
    look(page, "cloture-confirmation")
    page.get_by_role("button", name="Clôturer la campagne").click()
    page.wait_for_url(detail_url)
    assert f"Campagne {year} clôturée" in page.content()
    assert "clôturée ; date limite" in page.locator(".monitoring-summary").first.inner_text()
    look(page, "campagne-close")

    # Reopen it with a new deadline.
    page.get_by_role("link", name="Rouvrir la campagne…").click()
    page.wait_for_url("**/rouvrir/")
    look(page, "reouverture")
    page.get_by_label("Nouvelle date limite").fill(new_deadline.isoformat())
    page.get_by_role("button", name="Rouvrir la campagne").click()
    page.wait_for_url(detail_url)
    assert f"rouverte jusqu'au {new_deadline:%d/%m/%Y}" in page.content()
    assert "ouverte ; date limite" in page.locator(".monitoring-summary").first.inner_text()
    look(page, "campagne-rouverte")
    assert page.errors == []

    # The partner's home announces the new deadline.
    home = log_in(open_page, partner, width=size)
    work = home.locator(".partner-work").inner_text()
    assert f"Bilan {year}" in work
    assert f"avant le {french_date(new_deadline)}" in work
    look(home, "accueil-partenaire")
    assert home.errors == []
    # The campaign is reopened, not a new one (the page's word is the database's).
    campaign = ReviewCampaign.objects.get(year=year)
    assert campaign.is_open and campaign.deadline == new_deadline
