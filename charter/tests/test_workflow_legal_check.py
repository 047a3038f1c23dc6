"""The charter workflow's legal check, explained at each step; the secretariat completes the text
during a step it does not approve, without cancelling the workflow."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import TaskState, Workflow

from charter.choices import CHARTER_WORKFLOW_NAME, CharterStatus
from charter.models import CharterPage
from charter.roles import COMMITTEE, COPILOTS, SECRETARIAT
from charter.views.workflow import charter_workflow_rows
from tests.test_admin_french import FORBIDDEN

pytestmark = pytest.mark.django_db

APPROVAL = "Approbation par les co-pilotes"
COREP = "Validation par le comité responsable du PDALHPD (COREP)"


@pytest.fixture
def people(django_user_model):
    """One user per role that matters here (groups from the data migrations)."""
    users = {}
    for group_name in (SECRETARIAT, COPILOTS, COMMITTEE, "COREP du PDALHPD"):
        user = django_user_model.objects.create_user(
            username=f"u{len(users)}", password="motdepasse-solide-42"
        )
        user.groups.add(Group.objects.get(name=group_name))
        users[group_name] = user
    return users


def _at_step(charter, user, step_name, status):
    """Submit the charter, then jump to `step_name` as if the earlier steps had been approved."""
    charter.save_revision(user=user)
    workflow = Workflow.objects.get(name=CHARTER_WORKFLOW_NAME)
    state = workflow.start(charter, user)
    task = workflow.tasks.get(name=step_name).specific
    state.current_task_state.delete()
    state.current_task_state = task.start(state, user=user)
    state.save()
    CharterPage.objects.filter(pk=charter.pk).update(lifecycle_status=status)
    charter.refresh_from_db()
    return state.current_task_state


def page_form_data(response, **changes):
    """The edit form's current values (with its inline formsets), as a browser would post them."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
        for formset in getattr(form, "formsets", {}).values():
            management = formset.management_form
            for name in management.fields:
                data[management.add_prefix(name)] = management[name].value()
            for sub in formset.forms:
                add(sub)

    add(response.context["form"])
    data.update(changes)
    return data


def test_a_blocked_step_explains_itself_instead_of_hiding_approve(client, charter_page, people):
    copilot = people[COPILOTS]
    state = _at_step(charter_page, copilot, APPROVAL, CharterStatus.COREP_VALIDATED)
    task = state.task.specific
    assert [a[:2] for a in task.get_actions(charter_page, copilot)] == [
        ("reject", "Demander des modifications"),
        ("missing_items", "Approuver : voir ce qui manque"),
    ]
    assert task.get_actions(charter_page, people[COMMITTEE]) == []

    client.force_login(copilot)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[charter_page.pk, "missing_items", state.pk]
    )
    modal = json.loads(client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).content)
    assert "Cette étape ne peut pas encore être approuvée" in modal["html"]
    assert "les objectifs quantitatifs" in modal["html"]
    assert "<form" not in modal["html"]  # nothing to submit

    # Posting the explanation changes nothing; approving is still refused.
    assert client.post(url).status_code == 302
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[charter_page.pk, "approve", state.pk]
    )
    assert (client.post(approve).status_code, client.post(approve).url) == (302, "/admin/")
    state.refresh_from_db()
    charter_page.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS
    assert charter_page.lifecycle_status == CharterStatus.COREP_VALIDATED


def test_dashboard_says_why_the_step_cannot_be_approved(client, charter_page, people):
    _at_step(charter_page, people[COPILOTS], APPROVAL, CharterStatus.COREP_VALIDATED)
    for group_name in (COPILOTS, SECRETARIAT):
        client.force_login(people[group_name])
        html = client.get("/admin/").content.decode()
        assert "Workflow de la charte : contrôle légal de l'étape en cours" in html
        assert f"Étape « {APPROVAL} » : elle ne peut pas encore être approuvée." in html
        assert "il manque les engagements des partenaires" not in html  # the synthetic has them
        assert "les objectifs quantitatifs" in html
    assert "Compléter la charte" in html  # the secretariat edits the charter
    # A committee member neither edits nor approves the charter: no panel.
    client.force_login(people[COMMITTEE])
    assert "Workflow de la charte" not in client.get("/admin/").content.decode()


def test_earlier_steps_announce_the_legal_items_still_missing(
    client, charter_page, people, django_assert_max_num_queries
):
    _at_step(charter_page, people[COPILOTS], COREP, CharterStatus.CCAPEX_CONSULTATION)
    with django_assert_max_num_queries(40):
        rows = charter_workflow_rows(user=people[SECRETARIAT])
    [row] = rows
    assert row["check"].blockers == []
    [(step, missing)] = row["check"].upcoming
    assert step == APPROVAL and "les objectifs quantitatifs" in missing


def test_submission_goes_through_with_a_warning_naming_the_missing_items(
    client, charter_page, people
):
    secretariat = people[SECRETARIAT]
    client.force_login(secretariat)
    url = reverse("wagtailadmin_pages:edit", args=[charter_page.pk])
    response = client.post(
        url, page_form_data(client.get(url), **{"action-submit": "1"}), follow=True
    )
    charter_page.refresh_from_db()
    assert charter_page.workflow_in_progress
    assert charter_page.current_workflow_task.name == "Rédaction avec les partenaires"
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert f"Avant l'étape « {APPROVAL} »" in warnings[0]
    assert "les objectifs quantitatifs" in warnings[0]


def test_secretariat_completes_the_charter_during_a_step_it_does_not_approve(
    client, charter_page, people
):
    state = _at_step(charter_page, people[COPILOTS], APPROVAL, CharterStatus.COREP_VALIDATED)
    url = reverse("wagtailadmin_pages:edit", args=[charter_page.pk])
    client.force_login(people[SECRETARIAT])
    page = client.get(url)
    html = page.content.decode()
    # The main button saves a draft; the workflow is not cancelled from here.
    menu = page.context["action_menu"]
    assert menu.default_item.name == "action-save-draft"
    assert "Only reviewers" not in html and "Seuls les valideurs" not in html
    response = client.post(
        url, page_form_data(page, quantitative_objectives="- Réduire de 10 % les assignations")
    )
    assert (response.status_code, response.url) == (302, url)
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS  # same step, same workflow
    charter_page = CharterPage.objects.get(pk=charter_page.pk)
    assert charter_page.get_latest_revision_as_object().quantitative_objectives.startswith("- R")
    assert "les objectifs quantitatifs" not in " ".join(
        state.task.specific.approval_blockers(charter_page)
    )


@pytest.mark.parametrize("group_name", [COPILOTS, COMMITTEE, "COREP du PDALHPD"])
def test_others_still_cannot_edit_a_step_they_do_not_approve(
    client, charter_page, people, group_name
):
    # At the COREP step, neither the co-pilots (locked) nor the committee/COREP (no page rights)
    # save the charter.
    _at_step(charter_page, people[COPILOTS], COREP, CharterStatus.CCAPEX_CONSULTATION)
    before = CharterPage.objects.get(pk=charter_page.pk).get_latest_revision().pk
    url = reverse("wagtailadmin_pages:edit", args=[charter_page.pk])
    client.force_login(people[group_name])
    if group_name == COPILOTS:
        page = client.get(url)
        data = page_form_data(page, quantitative_objectives="Modifié")
    else:
        data = {"title": "Modifié", "quantitative_objectives": "Modifié"}
    client.post(url, data)
    assert CharterPage.objects.get(pk=charter_page.pk).get_latest_revision().pk == before


ENGLISH = re.compile(
    r"\b(None|True|False|Approve|Request changes|Awaiting|Cancel workflow|Submit to|Save draft"
    r"|Your pages|in a workflow|Task|missing_items|step_check)\b"
)


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_workflow_screens_carry_no_english_or_generic_wording(client, charter_page, people):
    state = _at_step(charter_page, people[COPILOTS], APPROVAL, CharterStatus.COREP_VALIDATED)
    modal_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[charter_page.pk, "missing_items", state.pk]
    )
    screens = [
        (people[SECRETARIAT], "/admin/"),
        (people[SECRETARIAT], reverse("wagtailadmin_pages:edit", args=[charter_page.pk])),
        (people[SECRETARIAT], f"/admin/charter_versions/new/?charter={charter_page.pk}"),
        (people[COPILOTS], "/admin/"),
        (people[COPILOTS], modal_url),
    ]
    for user, url in screens:
        client.force_login(user)
        response = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
        assert response.status_code == 200, url
        html = response.content.decode()
        if url == modal_url:
            html = json.loads(html)["html"]
        found = [text for text in FORBIDDEN if text in html]
        assert not found, (url, found)
        text = _visible_text(html)
        assert not ENGLISH.findall(text), (url, ENGLISH.findall(text))
