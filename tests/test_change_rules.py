"""One rule, one place (issue 13): every path changing a commitment applies engagements.rules."""

import html
import os
import pathlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from engagements.choices import ProposalStatus
from engagements.models import Commitment, CommitmentProposal, WorkspaceSettings
from engagements.services import (
    commitment_bulk_update,
    commitment_propose_update,
    commitment_update,
)
from engagements.tests.test_concurrency import form_data
from imports.services import import_file

pytestmark = pytest.mark.django_db

ROOT = pathlib.Path(__file__).resolve().parents[1]
EDIT = "wagtailsnippets_engagements_commitment:edit"


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def form_message(contributor, own_commitment) -> str:
    """The edit form's French message for « Réalisé » without evidence (the reference)."""
    client = Client()
    client.force_login(contributor)
    url = reverse(EDIT, args=[own_commitment.pk])
    response = client.post(url, form_data(client.get(url), status="achieved", reason="Fini"))
    assert response.status_code == 200
    (message,) = response.context["form"].errors["evidence_url"]
    assert "justificatif" in message
    return message


def _validation_on():
    settings = WorkspaceSettings.load()
    settings.require_validation = True
    settings.save()


def _via_form(commitment, contributor, **_fixtures) -> str:
    client = Client()
    client.force_login(contributor)
    url = reverse(EDIT, args=[commitment.pk])
    return _page(client.post(url, form_data(client.get(url), status="achieved", reason="Fini")))


def _via_bulk(commitment, contributor, **_fixtures) -> str:
    client = Client()
    client.force_login(contributor)
    url = reverse("wagtail_bulk_action", args=("engagements", "commitment", "update"))
    url += f"?id={commitment.pk}&next=/admin/mes-engagements/"
    versions = client.get(url).context["form"]["versions"].value()
    response = client.post(url, {"status": "achieved", "reason": "Fini", "versions": versions})
    assert response.status_code == 200
    return _page(response)


def _via_proposal_form(commitment, contributor, **_fixtures) -> str:
    _validation_on()
    return _via_form(commitment, contributor)


def _via_proposal_service(commitment, contributor, **_fixtures) -> str:
    with pytest.raises(ValidationError) as raised:
        commitment_propose_update(
            commitment=commitment,
            user=contributor,
            status="achieved",
            progress=commitment.progress,
            narrative="",
            reason="Fini",
            expected_version=commitment.version,
        )
    return " ".join(raised.value.messages)


def _via_proposal_validation(commitment, contributor, copilot, **_fixtures) -> str:
    # A pending proposal written before the rule (straight into the table) is refused too.
    proposal = CommitmentProposal.objects.create(
        commitment=commitment,
        status="achieved",
        progress=100,
        reason="Fini",
        base_version=commitment.version,
        proposed_by=contributor,
    )
    client = Client()
    client.force_login(copilot)
    review = reverse("engagements_proposal_review", args=[proposal.pk])
    response = client.post(review, {"validate": "1"}, follow=True)
    assert CommitmentProposal.objects.get(pk=proposal.pk).review_status == ProposalStatus.PENDING
    return _page(response)


def _import_csv(commitment) -> bytes:
    return f"id,statut,avancement\n{commitment.pk},Réalisé,40\n".encode()


def _via_import_service(commitment, superuser, **_fixtures) -> str:
    report = import_file(
        kind="commitments",
        filename="suivi.csv",
        data=_import_csv(commitment),
        user=superuser,
        dry_run=False,
    )
    assert not report.ok and not report.written
    return " ".join(report.errors)


def _via_import_admin(commitment, superuser, **_fixtures) -> str:
    client = Client()
    client.force_login(superuser)
    upload = SimpleUploadedFile("suivi.csv", _import_csv(commitment))
    response = client.post("/admin/imports/donnees/", {"kind": "commitments", "file": upload})
    page = _page(response)
    assert "Confirmer l'import" not in page
    return page


@pytest.mark.parametrize(
    "path",
    [
        _via_form,
        _via_bulk,
        _via_proposal_form,
        _via_proposal_service,
        _via_proposal_validation,
        _via_import_service,
        _via_import_admin,
    ],
    ids=lambda path: path.__name__[5:],
)
def test_every_path_refuses_achieved_without_evidence_with_the_forms_message(
    path, form_message, own_commitment, contributor, copilot, superuser
):
    before = Commitment.objects.get(pk=own_commitment.pk)
    proposals = CommitmentProposal.objects.filter(review_status=ProposalStatus.PENDING).count()
    shown = path(own_commitment, contributor=contributor, copilot=copilot, superuser=superuser)
    assert form_message in shown
    after = Commitment.objects.get(pk=own_commitment.pk)
    assert (after.status, after.progress, after.version, after.last_reported_at) == (
        before.status,
        before.progress,
        before.version,
        before.last_reported_at,
    )
    pending = CommitmentProposal.objects.filter(review_status=ProposalStatus.PENDING).count()
    assert pending <= proposals + (path is _via_proposal_validation)


def test_a_bulk_achieved_without_evidence_names_every_failing_commitment(caf, contributor):
    commitments = list(caf.commitments.filter(evidence_url="").order_by("pk")[:3])
    assert len(commitments) == 3
    with pytest.raises(ValidationError) as raised:
        commitment_bulk_update(
            commitments=commitments,
            user=contributor,
            status="achieved",
            reason="Fini",
            expected_versions={c.pk: c.version for c in commitments},
        )
    text = " ".join(raised.value.messages)
    for commitment in commitments:
        assert f"« {commitment} »" in text
    assert not Commitment.objects.filter(pk__in=[c.pk for c in commitments], status="achieved")


def test_owner_only_change_is_not_a_progress_report(own_commitment, contributor):
    assert own_commitment.last_reported_at is None
    values = {
        "status": own_commitment.status,
        "progress": own_commitment.progress,
        "narrative": own_commitment.narrative,
        "evidence_url": own_commitment.evidence_url,
        "reason": "",
        "expected_version": own_commitment.version,
    }
    commitment_update(commitment=own_commitment, user=contributor, owner=contributor, **values)
    own_commitment.refresh_from_db()
    assert own_commitment.owner == contributor and own_commitment.version == 2
    assert own_commitment.last_reported_at is None
    values.update(progress=30, expected_version=2)
    commitment_update(commitment=own_commitment, user=contributor, **values)
    own_commitment.refresh_from_db()
    assert own_commitment.last_reported_at is not None


def test_the_evidence_message_lives_in_one_module():
    """The « justificatif » rule is worded once, in engagements/rules.py (grep-style)."""
    fragment = "demande un justificatif"
    skipped = {".venv", "tests", "node_modules", ".git", "media", "static", "__pycache__"}
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [name for name in dirs if name not in skipped and not name.startswith(".")]
        for name in files:
            if name.startswith("test") or not name.endswith((".py", ".html", ".txt")):
                continue
            path = pathlib.Path(folder, name)
            text = path.read_text(encoding="utf-8", errors="ignore")
            found += [str(path.relative_to(ROOT))] * text.count(fragment)
    assert found == ["engagements/rules.py"]


def test_a_progress_over_100_gets_the_rules_message_everywhere(
    own_commitment, contributor, superuser
):
    from engagements.rules import PROGRESS_RANGE_MESSAGE

    client = Client()
    client.force_login(contributor)
    url = reverse(EDIT, args=[own_commitment.pk])
    response = client.post(url, form_data(client.get(url), progress=150))
    assert response.context["form"].errors["progress"] == [PROGRESS_RANGE_MESSAGE]

    bulk = reverse("wagtail_bulk_action", args=("engagements", "commitment", "update"))
    bulk += f"?id={own_commitment.pk}&next=/admin/mes-engagements/"
    versions = client.get(bulk).context["form"]["versions"].value()
    data = {"status": "in_progress", "progress": 150, "reason": "Lot", "versions": versions}
    assert client.post(bulk, data).context["form"].errors["progress"] == [PROGRESS_RANGE_MESSAGE]

    report = import_file(
        kind="commitments",
        filename="suivi.csv",
        data=f"id,avancement\n{own_commitment.pk},150\n".encode(),
        user=superuser,
        dry_run=True,
    )
    assert report.errors == [f"Ligne 2, colonne « avancement » : {PROGRESS_RANGE_MESSAGE}"]
    assert Commitment.objects.get(pk=own_commitment.pk).progress == own_commitment.progress
