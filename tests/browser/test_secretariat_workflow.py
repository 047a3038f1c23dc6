"""The secretariat runs the charter's workflow in Chromium (issue 14): the décret 2016-393 check
is explained at submission and at each step, and the secretariat completes the missing item
during the co-pilots' step without cancelling the workflow. Zero axe violations on the dashboard
panel, the explanation modal and the editor, at 375 and 1280 px; screenshots in .screenshots/."""

import tempfile
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from charter.models import CharterPage
from charter.roles import COPILOTS, SECRETARIAT
from conftest import restore_session_state
from tests.synthetic import CHARTER_SLUG

from .conftest import WIDTHS
from .test_public_site import format_violations

PASSWORD = "parcours-workflow-2026"
COREP = "COREP du PDALHPD"
TITLE = "Charte du parcours workflow"
SHOTS = Path(tempfile.gettempdir()) / "charte-screenshots"


@pytest.fixture(scope="module")
def journey(django_db_blocker):
    """A small charter (everything the décret requires but its quantitative objectives) and one
    user per approving group, committed for the live server; removed afterwards."""
    import datetime

    from django.contrib.auth.models import Group
    from wagtail.models import PageLogEntry, WorkflowState

    from charter.tests import factories as charter_factories
    from engagements.models import Commitment
    from engagements.tests.factories import CommitmentFactory, PartnerFactory, UserFactory

    with django_db_blocker.unblock():
        restore_session_state()
        charter = charter_factories.charter_page(
            slug="charte-parcours-workflow",
            title=TITLE,
            start_date=datetime.date(2001, 1, 1),
            duration_years=6,
            qualitative_objectives="- Mieux coordonner les acteurs",
            governance="Comité de suivi annuel ; révision par avenant.",
            no_mayor_request=True,
        )
        orientation = charter_factories.orientation_page(charter=charter, number=1)
        action = charter_factories.action_page(
            orientation=orientation, number=1, evaluation_indicators="- Nombre de réunions"
        )
        partner = PartnerFactory(name="Partenaire du parcours workflow", short_name="PPW")
        CommitmentFactory(partner=partner, action=action, text="Engagement du parcours")
        users = {}
        for group_name in (SECRETARIAT, COPILOTS, COREP):
            user = UserFactory(username=f"wf-{len(users)}", first_name="Agent", last_name="Test")
            user.set_password(PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=group_name))
            users[group_name] = user
        in_force = CharterPage.objects.get(slug=CHARTER_SLUG).pk  # the synthetic charter
    yield charter, users, in_force
    with django_db_blocker.unblock():
        for commitment in Commitment.objects.filter(partner=partner):
            commitment.history.all().delete()
            commitment.delete()
        partner.delete()
        WorkflowState.objects.filter(object_id=str(charter.pk)).delete()
        PageLogEntry.objects.filter(page_id=charter.pk).delete()
        charter.delete()
        for user in users.values():
            user.delete()


def _login(open_page, user, width):
    page = open_page("/admin/login/?next=/admin/", width=width)
    page.set_default_timeout(20000)
    page.failed = []
    page.on(
        "response",
        lambda response: (
            page.failed.append((response.status, response.request.method, response.url))
            if response.status >= 400
            else None
        ),
    )
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/")
    return page


def _shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _no_axe_violation(page, where):
    violations = Axe().run(page).response["violations"]
    assert violations == [], f"{where}:\n{format_violations(violations)}"


def _act_from_dashboard(page, label, *, navigates=True):
    """Open the charter's actions in « Attente de votre validation » and click `label`."""
    page.goto(page.url.split("/admin/")[0] + "/admin/")
    row = page.locator("#awaiting-review-content tr", has_text=TITLE)
    row.get_by_role("button", name="Actions").click()
    button = row.get_by_role("button", name=label, exact=True)
    if navigates:
        with page.expect_navigation():
            button.click()
    else:
        button.click()


def test_secretariat_runs_the_workflow_with_the_legal_check_explained(open_page, journey):
    charter, users, in_force = journey
    edit = f"/admin/pages/{charter.pk}/edit/"

    # 1. Submission goes through, with a warning naming what the co-pilots' step will need.
    secretariat = _login(open_page, users[SECRETARIAT], 1280)
    secretariat.goto(secretariat.url.replace("/admin/", edit))
    secretariat.locator("footer .w-dropdown-button .w-dropdown__toggle").first.click()
    with secretariat.expect_navigation():
        secretariat.get_by_role(
            "button", name="Soumettre au workflow « Cycle de vie de la charte »"
        ).click()
    warning = secretariat.locator(".messages .warning, .messages li.warning").first.inner_text()
    assert "Avant l'étape « Approbation par les co-pilotes »" in warning
    assert "les objectifs quantitatifs" in warning

    # 2. The first three steps are approved from the dashboards (co-pilots, CCAPEX, COREP).
    copilot = _login(open_page, users[COPILOTS], 1280)
    _act_from_dashboard(copilot, "Approuver")
    _act_from_dashboard(secretariat, "Approuver")
    corep = _login(open_page, users[COREP], 1280)
    _act_from_dashboard(corep, "Approuver")

    # 3. The co-pilots' step: « Approuver » is replaced by the explanation of what is missing.
    _act_from_dashboard(copilot, "Approuver : voir ce qui manque", navigates=False)
    modal = copilot.locator(".modal-content")
    modal.get_by_text("Cette étape ne peut pas encore être approuvée").wait_for()
    assert "les objectifs quantitatifs" in modal.inner_text()
    _no_axe_violation(copilot, "modale « ce qui manque »")
    _shot(copilot, "workflow-modal-1280")

    for width in WIDTHS.values():
        page = _login(open_page, users[SECRETARIAT], width)
        panel = page.locator("#charter-workflow-section")
        assert "Étape « Approbation par les co-pilotes » : elle ne peut pas encore" in (
            panel.inner_text()
        )
        assert "les objectifs quantitatifs" in panel.inner_text()
        _no_axe_violation(page, f"tableau de bord ({width} px)")
        _shot(page, f"workflow-dashboard-{width}")
        page.goto(page.url.replace("/admin/", edit))
        # The secretariat edits at this step: its main button saves a draft.
        assert "Enregistrer le brouillon" in page.locator("footer").inner_text()
        assert "Annuler le workflow" not in page.locator("footer button").first.inner_text()
        _no_axe_violation(page, f"éditeur ({width} px)")
        _shot(page, f"workflow-editor-{width}")
        # Freezing the charter in force: the version is public by default.
        page.goto(page.url.split("/admin/")[0] + f"/admin/charter_versions/new/?charter={in_force}")
        assert page.locator("input[name=is_public]").is_checked()
        _no_axe_violation(page, f"figer une version ({width} px)")
        _shot(page, f"version-new-{width}")

    # 4. The secretariat completes the missing item from the dashboard, without cancelling.
    secretariat.goto(secretariat.url.split("/admin/")[0] + "/admin/")
    secretariat.get_by_role("link", name="Compléter la charte").click()
    secretariat.wait_for_url(f"**{edit}")
    secretariat.fill("textarea[name=quantitative_objectives]", "- Réduire de 10 % les assignations")
    with secretariat.expect_navigation():
        secretariat.locator("footer button", has_text="Enregistrer le brouillon").first.click()
    assert (
        "ne peut pas encore être approuvée"
        not in secretariat.locator(".legal-checklist").inner_text()
    )

    # 5. The co-pilots approve; the publication step then waits for the signatures, and says so.
    _act_from_dashboard(copilot, "Approuver")
    secretariat.goto(secretariat.url.split("/admin/")[0] + "/admin/")
    panel = secretariat.locator("#charter-workflow-section").inner_text()
    assert "Étape « Publication » : elle ne peut pas encore être approuvée." in panel
    assert "Toutes les signatures doivent être enregistrées avant la publication." in panel
    for page in (secretariat, copilot, corep):
        assert page.errors == [], (page.errors, page.failed)
