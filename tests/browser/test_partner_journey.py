"""A partner contributor's yearly update in Chromium (issue 14), clicks counted.

After login: one update from « Mes engagements » in 4 clicks, then five commitments in bulk in
3 + 5 clicks, landing back on « Mes engagements » each time (README « Parcours partenaire »).
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from charter.roles import PARTNER_CONTRIBUTORS
from conftest import restore_session_state
from engagements.models import Commitment
from engagements.tests.factories import CommitmentFactory, PartnerFactory, user_with_role

PASSWORD = "parcours-partenaire-2026"


@pytest.fixture(scope="module")
def journey(django_db_blocker):
    """A partner, its contributor and six commitments, committed for the live server (before
    the test's own transaction opens), removed afterwards."""
    with django_db_blocker.unblock():
        # A live-server test before this module may have flushed the database: put the
        # session's state back first (the autouse restore runs after module fixtures).
        restore_session_state()
        partner = PartnerFactory(name="Association du parcours", short_name="PARCOURS")
        user = user_with_role(PARTNER_CONTRIBUTORS, partner=partner, username="parcours")
        user.set_password(PASSWORD)
        user.save()
        commitments = [
            CommitmentFactory(partner=partner, position=800 + n, text=f"Engagement du parcours {n}")
            for n in range(6)
        ]
    yield user, commitments
    # The session database is shared by the other tests (reused between runs): leave no trace.
    with django_db_blocker.unblock():
        ids = [
            str(pk)
            for pk in Commitment.objects.filter(partner=partner).values_list("pk", flat=True)
        ]
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Commitment), object_id__in=ids
        ).delete()
        for commitment in Commitment.objects.filter(partner=partner):
            commitment.history.all().delete()
            commitment.delete()
        user.delete()
        partner.delete()


def test_a_partner_updates_one_then_five_commitments_from_one_list(open_page, journey):
    user, commitments = journey
    page = open_page("/admin/login/?next=/admin/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.set_default_timeout(15000)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")
    clicks = 0

    def click(locator):
        nonlocal clicks
        clicks += 1
        locator.click()

    # One update: menu → commitment → status → save.
    click(page.get_by_role("link", name="Mes engagements").first)
    page.wait_for_url("**/admin/mes-engagements/")
    click(page.get_by_role("link", name="Engagement du parcours 0"))
    page.wait_for_url("**/edit/**")
    assert "Engagement du parcours 0" in page.locator(".commitment-summary").inner_text()
    clicks += 1  # choosing the status in its list
    page.select_option("select[name=status]", "in_progress")
    page.fill("input[name=progress]", "30")
    page.fill("textarea[name=reason]", "Lancement de l'action")
    click(page.locator("button[type=submit]", has_text="Enregistrer").first)
    page.wait_for_url("**/admin/mes-engagements/**")
    assert "Prochaine étape" in page.content()
    assert clicks == 4
    # (No query from this thread before the end: its read would lock SQLite for the server.)

    # Five in bulk: N boxes → « Mettre à jour la sélection » → status → « Mettre à jour ».
    clicks = 0
    for commitment in commitments[1:]:
        click(page.locator(f"#select-{commitment.pk}"))
    click(page.get_by_role("button", name="Mettre à jour la sélection"))
    page.wait_for_url("**/admin/bulk/**")
    clicks += 1  # the status
    page.select_option("select[name=status]", "in_progress")
    page.fill("textarea[name=reason]", "Revue annuelle")
    click(page.locator("form button[type=submit]", has_text="Mettre à jour"))
    page.wait_for_url("**/admin/mes-engagements/**")
    assert "5 engagements mis à jour" in page.content()
    assert clicks == 3 + 5
    assert (
        Commitment.objects.filter(pk__in=[c.pk for c in commitments], status="in_progress").count()
        == 6
    )
    assert page.errors == []
