"""The charter in force and the amendment in progress are two things on public pages."""

import pytest
from wagtail.models import Workflow

from charter.choices import CHARTER_WORKFLOW_NAME, CharterStatus
from charter.models import CharterPage
from charter.selectors import public_status
from charter.services import charter_change_lifecycle_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def amendment_in_workflow(charter_page, superuser):
    """The synthetic charter (in force) revised by an amendment submitted to the workflow."""
    charter_page.title = "Charte synthétique (avenant)"
    charter_page.save_revision(user=superuser)
    Workflow.objects.get(name=CHARTER_WORKFLOW_NAME).start(charter_page, superuser)
    charter_page.refresh_from_db()
    assert charter_page.lifecycle_status == CharterStatus.DRAFT
    return charter_page


@pytest.mark.parametrize(
    ("in_force", "step", "label", "amendment"),
    [
        (True, CharterStatus.PUBLISHED, "En vigueur", None),
        (True, CharterStatus.DRAFT, "En vigueur", CharterStatus.DRAFT),
        (True, CharterStatus.APPROVED, "En vigueur", CharterStatus.APPROVED),
        (False, CharterStatus.DRAFT, "Projet en rédaction", None),
        (False, CharterStatus.SIGNED, "Signée", None),
        (False, CharterStatus.SUPERSEDED, "Remplacée", None),
    ],
)
def test_public_status(in_force, step, label, amendment):
    status = public_status(charter=CharterPage(in_force=in_force, lifecycle_status=step))
    assert (status.label, status.in_force, status.amendment_step) == (label, in_force, amendment)


def test_life_cycle_sets_and_clears_in_force(charter_page, superuser):
    assert charter_page.in_force
    for step in (CharterStatus.DRAFT, CharterStatus.CCAPEX_CONSULTATION):
        charter_change_lifecycle_status(
            charter=charter_page, user=superuser, status=step, reason="Avenant"
        )
        charter_page.refresh_from_db()
        assert charter_page.in_force, step
    CharterPage.objects.filter(pk=charter_page.pk).update(lifecycle_status=CharterStatus.SIGNED)
    charter_change_lifecycle_status(
        charter=charter_page, user=superuser, status=CharterStatus.PUBLISHED, reason="Publiée"
    )
    charter_change_lifecycle_status(
        charter=charter_page, user=superuser, status=CharterStatus.SUPERSEDED, reason="Remplacée"
    )
    charter_page.refresh_from_db()
    assert not charter_page.in_force


def test_home_and_charter_page_say_in_force_with_the_amendment_apart(client, amendment_in_workflow):
    for url in ("/", amendment_in_workflow.url):
        html = client.get(url).content.decode()
        assert "État : <strong>En vigueur</strong>" in html, url
        assert "Projet en rédaction" not in html, url
        assert "Avenant en préparation : projet en rédaction" in html, url
        assert "État : <strong>En vigueur</strong> depuis le 15 janvier 2020" in html, url


def test_api_gives_the_status_in_force_and_the_amendment_step(client, amendment_in_workflow):
    records = client.get("/api/v2/chartes/").json()
    record = next(r for r in records["items"] if r["identifiant"] == "charte-synthetique")
    assert (record["etape"], record["en_vigueur"], record["avenant_en_preparation"]) == (
        "published",
        True,
        "draft",
    )


def test_migration_marks_existing_charters_in_force(charter_page, plan, superuser):
    """Data migration 0004: a published charter, and one sent back to drafting by an amendment
    after its publication (told by the audit log), are in force; a never-published draft is not."""
    import importlib

    from django.apps import apps
    from wagtail.log_actions import log

    migration = importlib.import_module("charter.migrations.0004_charterpage_in_force")
    CharterPage.objects.update(in_force=False)
    log(instance=charter_page, action="charter.lifecycle", user=superuser, data={"to": "published"})
    log(instance=charter_page, action="charter.lifecycle", user=superuser, data={"to": "draft"})
    CharterPage.objects.filter(pk=charter_page.pk).update(lifecycle_status=CharterStatus.DRAFT)
    draft = CharterPage.objects.filter(pk=plan.pk)
    draft.update(lifecycle_status=CharterStatus.CCAPEX_CONSULTATION)

    migration.mark_charters_in_force(apps, None)

    assert CharterPage.objects.get(pk=charter_page.pk).in_force
    assert not draft.get().in_force
