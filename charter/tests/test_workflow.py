"""The charter's life cycle as a Wagtail workflow: a full run through the five named steps."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageLogEntry, Revision, TaskState, Workflow, WorkflowState

from charter.choices import (
    CHARTER_WORKFLOW_NAME,
    CHARTER_WORKFLOW_STEPS,
    CharterStatus,
    SignatureStatus,
)
from charter.models import ActionPage, CharterLifecycleTask, CharterPage, MayorInvitationRequest
from charter.services import signature_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(django_user_model):
    """One user per approving group (the groups come from the data migration)."""
    users = {}
    for _name, group_name, _status in CHARTER_WORKFLOW_STEPS:
        if group_name not in users:
            user = django_user_model.objects.create_user(
                username=f"membre-{len(users)}", password="motdepasse-solide-42"
            )
            user.groups.add(Group.objects.get(name=group_name))
            users[group_name] = user
    return users


def _act(client, user, charter, action, comment=""):
    """Perform a workflow action through the admin's HTTP endpoint, as `user`."""
    client.force_login(user)
    task_state = charter.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[charter.pk, action, task_state.pk])
    response = client.post(url, {"comment": comment})
    return response, task_state


def _complete_legal_content(charter, user):
    """Fill in what décret n° 2016-393 requires, as a draft revision of the charter."""
    draft = charter.get_latest_revision_as_object()
    draft.quantitative_objectives = "- Réduire de 10 % les assignations"
    draft.qualitative_objectives = "- Mieux coordonner les acteurs"
    draft.governance = "Comité de suivi annuel ; révision par avenant."
    draft.duration_years = 6
    draft.mayor_invitation_requests = [
        MayorInvitationRequest(
            commune="Paris", mayor_name="Maire de Paris", requested_on=datetime.date(2017, 9, 1)
        )
    ]
    draft.save_revision(user=user)
    action = ActionPage.objects.descendant_of(charter).get(code="1")
    action.evaluation_indicators = "- Nombre d'études réalisées"
    action.save_revision(user=user).publish(user=user)


def test_workflow_is_attached_to_charters_with_named_steps(charter_page):
    workflow = charter_page.get_workflow()
    assert workflow is not None and workflow.name == CHARTER_WORKFLOW_NAME
    tasks = [t.specific for t in workflow.tasks]
    assert [t.name for t in tasks] == [name for name, _g, _s in CHARTER_WORKFLOW_STEPS]
    assert all(isinstance(t, CharterLifecycleTask) for t in tasks)
    assert [list(t.groups.values_list("name", flat=True)) for t in tasks] == [
        [group] for _n, group, _s in CHARTER_WORKFLOW_STEPS
    ]


def test_full_run_through_the_workflow(client, charter_page, members, superuser):
    charter = charter_page
    copilot = members["Co-pilotes"]
    secretariat = members["Secrétariat CCAPEX"]
    corep = members["COREP du PDALHPD"]
    # Revising the published charter: a new draft is submitted to the workflow.
    charter.title = "Charte parisienne de prévention des expulsions locatives (révisée)"
    revision = charter.save_revision(user=copilot)
    Workflow.objects.get(name=CHARTER_WORKFLOW_NAME).start(charter, copilot)
    charter.refresh_from_db()
    assert charter.lifecycle_status == CharterStatus.DRAFT

    # A member of another group cannot act on the drafting step (Wagtail refuses and redirects).
    response, state = _act(client, corep, charter, "approve")
    assert (response.status_code, response.url) == (302, "/admin/")
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS

    response, state = _act(client, copilot, charter, "approve", "Rédaction terminée")
    assert response.status_code == 302 and response.url != "/admin/"
    charter.refresh_from_db()
    assert charter.lifecycle_status == CharterStatus.CCAPEX_CONSULTATION

    response, _ = _act(client, secretariat, charter, "approve", "Avis favorable de la CCAPEX")
    charter.refresh_from_db()
    assert charter.lifecycle_status == CharterStatus.CCAPEX_CONSULTATION
    response, _ = _act(client, corep, charter, "approve", "Validée en séance du COREP")
    charter.refresh_from_db()
    assert charter.lifecycle_status == CharterStatus.COREP_VALIDATED

    # Ready for signature is blocked while the legal checklist is incomplete.
    task = charter.current_workflow_task.specific
    assert task.name == "Approbation par les co-pilotes"
    assert [a[0] for a in task.get_actions(charter, copilot)] == ["reject", "missing_items"]
    response, state = _act(client, copilot, charter, "approve")
    assert (response.status_code, response.url) == (302, "/admin/")
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS
    charter.refresh_from_db()
    assert charter.lifecycle_status == CharterStatus.COREP_VALIDATED

    _complete_legal_content(charter, copilot)
    response, _ = _act(client, copilot, charter, "approve", "Prête pour signature")
    assert response.status_code == 302
    charter.refresh_from_db()
    assert charter.lifecycle_status == CharterStatus.APPROVED

    # Publication waits for every signature; the last one moves the charter to "signed".
    assert [
        a[0] for a in charter.current_workflow_task.specific.get_actions(charter, secretariat)
    ] == ["reject", "missing_items"]
    signatories = list(charter.get_latest_revision_as_object().signatories.all())
    for signatory in signatories:
        signature_record(
            charter=charter,
            partner=signatory.partner,
            user=secretariat,
            status=SignatureStatus.SIGNED,
            signer_name="Prénom Nom",
            signer_title="Directeur",
            signed_on=datetime.date(2026, 11, 20),
        )
    charter.refresh_from_db()
    assert charter.lifecycle_status == CharterStatus.SIGNED

    response, _ = _act(client, secretariat, charter, "approve", "Publiée")
    assert response.status_code == 302
    charter = CharterPage.objects.get(pk=charter.pk)
    assert charter.lifecycle_status == CharterStatus.PUBLISHED
    assert charter.title.endswith("(révisée)")  # the approved revision went live
    assert charter.live_revision.pk > revision.pk  # the revision completed for the checklist
    assert charter.quantitative_objectives.startswith("- Réduire")
    assert charter.mayor_invitation_requests.count() == 1

    workflow_state = WorkflowState.objects.get(object_id=str(charter.pk))
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    states = TaskState.objects.filter(workflow_state=workflow_state, status="approved").order_by(
        "finished_at"
    )
    assert [(s.task.name, s.finished_by, s.comment) for s in states] == [
        ("Rédaction avec les partenaires", copilot, "Rédaction terminée"),
        ("Avis de la CCAPEX", secretariat, "Avis favorable de la CCAPEX"),
        (
            "Validation par le comité responsable du PDALHPD (COREP)",
            corep,
            "Validée en séance du COREP",
        ),
        ("Approbation par les co-pilotes", copilot, "Prête pour signature"),
        ("Publication", secretariat, "Publiée"),
    ]
    moves = PageLogEntry.objects.filter(page=charter, action="charter.lifecycle").order_by(
        "timestamp", "pk"
    )
    assert [entry.data["to"] for entry in moves] == [
        "draft",
        "ccapex_consultation",
        "corep_validated",
        "approved",
        "signed",
        "published",
    ]


def test_request_changes_keeps_the_status(client, charter_page, members):
    copilot = members["Co-pilotes"]
    charter_page.save_revision(user=copilot)
    Workflow.objects.get(name=CHARTER_WORKFLOW_NAME).start(charter_page, copilot)
    response, state = _act(client, copilot, charter_page, "reject", "Compléter l'orientation 2")
    assert response.status_code == 302
    state.refresh_from_db()
    assert (state.status, state.comment, state.finished_by) == (
        "rejected",
        "Compléter l'orientation 2",
        copilot,
    )
    charter_page.refresh_from_db()
    assert charter_page.lifecycle_status == CharterStatus.DRAFT


def test_publishing_a_revision_never_overwrites_the_lifecycle_status(charter_page, superuser):
    revision = charter_page.save_revision(user=superuser)
    CharterPage.objects.filter(pk=charter_page.pk).update(lifecycle_status=CharterStatus.SIGNED)
    Revision.objects.get(pk=revision.pk).publish(user=superuser)
    charter_page.refresh_from_db()
    assert charter_page.lifecycle_status == CharterStatus.SIGNED


def test_editor_explains_why_the_current_step_cannot_be_approved(
    admin_client, charter_page, members
):
    copilot = members["Co-pilotes"]
    CharterPage.objects.filter(pk=charter_page.pk).update(
        lifecycle_status=CharterStatus.COREP_VALIDATED
    )
    charter_page.refresh_from_db()
    charter_page.save_revision(user=copilot)
    workflow = Workflow.objects.get(name=CHARTER_WORKFLOW_NAME)
    state = workflow.start(charter_page, copilot)
    # Jump to the co-pilots' approval step, as if the earlier steps had been approved.
    approval = workflow.tasks.get(name="Approbation par les co-pilotes").specific
    state.current_task_state.delete()
    state.current_task_state = approval.start(state, user=copilot)
    state.save()
    CharterPage.objects.filter(pk=charter_page.pk).update(
        lifecycle_status=CharterStatus.COREP_VALIDATED
    )
    html = admin_client.get(f"/admin/pages/{charter_page.pk}/edit/").content.decode()
    assert "Étape du workflow en cours : <strong>Approbation par les co-pilotes</strong>" in html
    assert "ne peut pas être déclarée prête pour signature" in html
