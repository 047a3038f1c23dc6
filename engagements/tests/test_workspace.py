"""Partner updates: evidence rule, reasons, history content, audit log, proposals, bulk update."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry

from charter.roles import PARTNER_CONTRIBUTORS
from engagements.choices import CommitmentStatus, ProposalStatus
from engagements.models import Commitment, WorkspaceSettings
from engagements.services import (
    CommitmentConflict,
    commitment_bulk_update,
    commitment_proposal_return,
    commitment_proposal_validate,
    commitment_submit_update,
)

from .factories import commitment_update_as as update

pytestmark = pytest.mark.django_db

SNIPPET = "wagtailsnippets_engagements_commitment"


def test_an_update_records_user_reason_and_changed_fields(own_commitment, contributor):
    rows_before = own_commitment.history.count()

    update(
        own_commitment,
        contributor,
        status=CommitmentStatus.IN_PROGRESS,
        progress=40,
        narrative="Groupe de travail réuni deux fois.",
        reason="Lancement du groupe de travail",
    )

    own_commitment.refresh_from_db()
    assert own_commitment.history.count() == rows_before + 1  # one row per real change
    latest = own_commitment.history.latest()
    assert latest.history_user == contributor
    assert latest.history_change_reason == "Lancement du groupe de travail"
    delta = latest.diff_against(latest.prev_record)
    assert set(delta.changed_fields) >= {"status", "progress", "narrative"}
    assert (latest.prev_record.version, latest.version) == (1, 2)
    assert own_commitment.version == 2
    assert own_commitment.last_reported_at is not None
    entry = ModelLogEntry.objects.get(action="engagements.change_status")
    assert entry.user == contributor
    assert entry.data["changed"] == ["status", "progress", "narrative"]
    assert entry.data["reason"] == "Lancement du groupe de travail"


def test_saving_unchanged_values_writes_no_history(own_commitment, contributor):
    rows = own_commitment.history.count()
    update(own_commitment, contributor)
    assert own_commitment.history.count() == rows
    assert Commitment.objects.get(pk=own_commitment.pk).version == 1


def test_progress_only_needs_no_reason_but_a_status_change_does(own_commitment, contributor):
    update(own_commitment, contributor, progress=10)
    assert own_commitment.history.latest().history_change_reason == "Mise à jour de l'avancement"
    with pytest.raises(ValidationError, match="motif"):
        update(own_commitment, contributor, status=CommitmentStatus.IN_PROGRESS, reason=" ")
    assert Commitment.objects.get(pk=own_commitment.pk).status == CommitmentStatus.NOT_STARTED


def test_achieved_requires_evidence_a_link_or_a_document(own_commitment, contributor):
    with pytest.raises(ValidationError, match="justificatif"):
        update(own_commitment, contributor, status=CommitmentStatus.ACHIEVED, reason="Fait")
    assert Commitment.objects.get(pk=own_commitment.pk).status == CommitmentStatus.NOT_STARTED

    with pytest.raises(ValidationError, match="http"):
        update(
            own_commitment,
            contributor,
            status=CommitmentStatus.ACHIEVED,
            reason="Fait",
            evidence_url="javascript:alert(1)",
        )

    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    from engagements.documents import partner_collection_id

    document = get_document_model().objects.create(
        title="Bilan 2025",
        file=ContentFile(b"bilan", name="bilan.txt"),
        collection_id=partner_collection_id(own_commitment.partner_id),  # the partner's evidence
    )
    update(
        own_commitment,
        contributor,
        status=CommitmentStatus.ACHIEVED,
        reason="Fait",
        evidence_document=document,
    )
    own_commitment.refresh_from_db()
    assert own_commitment.status == CommitmentStatus.ACHIEVED
    assert own_commitment.progress == 100
    assert own_commitment.evidence_document == document


@pytest.mark.parametrize("typed", ["overdue", "en retard"])
def test_overdue_cannot_be_typed(own_commitment, contributor, typed):
    with pytest.raises(ValidationError, match="calculé d'après l'échéance"):
        update(own_commitment, contributor, status=typed, reason="x")


def test_a_stale_version_is_refused_with_what_changed(own_commitment, contributor, secretary):
    stale_version = own_commitment.version
    update(own_commitment, secretary, status="in_progress", progress=30, reason="Point d'étape")
    with pytest.raises(CommitmentConflict) as error:
        update(
            own_commitment,
            contributor,
            status="not_started",
            progress=5,
            expected_version=stale_version,
        )
    message = error.value.messages[0]
    assert "secretaire" in message
    assert "statut : « Non démarré » → « En cours »" in message
    assert "avancement (%) : « 0 » → « 30 »" in message
    assert Commitment.objects.get(pk=own_commitment.pk).progress == 30


def test_a_contributor_cannot_update_another_partners_commitment(contributor, other_commitment):
    with pytest.raises(PermissionDenied):
        update(other_commitment, contributor, progress=50)
    assert Commitment.objects.get(pk=other_commitment.pk).progress == other_commitment.progress


def test_only_the_secretariat_changes_details(own_commitment, contributor, secretary, adil):
    with pytest.raises(PermissionDenied):
        update(own_commitment, contributor, details={"partner": adil})
    update(own_commitment, secretary, details={"text": "Nouveau libellé"}, reason="Coquille")
    own_commitment.refresh_from_db()
    assert own_commitment.text == "Nouveau libellé"
    assert own_commitment.history.latest().history_change_reason == "Coquille"


@pytest.fixture
def validation_on(db):
    settings = WorkspaceSettings.load()
    settings.require_validation = True
    settings.save()
    return settings


def test_with_validation_a_partner_update_waits_for_a_copilot(
    validation_on, own_commitment, contributor, copilot
):
    rows = own_commitment.history.count()
    proposal = commitment_submit_update(
        commitment=own_commitment,
        user=contributor,
        status="in_progress",
        progress=25,
        narrative="Premiers contacts",
        reason="Démarrage",
        expected_version=own_commitment.version,
    )
    public = Commitment.objects.get(pk=own_commitment.pk)
    assert (public.status, public.progress, public.version) == ("not_started", 0, 1)
    assert own_commitment.history.count() == rows
    assert proposal.review_status == ProposalStatus.PENDING

    with pytest.raises(PermissionDenied):
        commitment_proposal_validate(proposal=proposal, user=contributor)
    commitment_proposal_validate(proposal=proposal, user=copilot)

    public.refresh_from_db()
    assert (public.status, public.progress, public.narrative) == (
        "in_progress",
        25,
        "Premiers contacts",
    )
    latest = public.history.latest()
    assert latest.history_user == contributor
    assert latest.history_change_reason == "Démarrage"
    assert ModelLogEntry.objects.filter(action="engagements.validate", user=copilot).exists()


def test_a_returned_proposal_changes_nothing_and_carries_the_comment(
    validation_on, own_commitment, contributor, copilot
):
    proposal = commitment_submit_update(
        commitment=own_commitment,
        user=contributor,
        status="in_progress",
        progress=25,
        narrative="",
        reason="Démarrage",
        expected_version=1,
    )
    with pytest.raises(ValidationError, match="pourquoi"):
        commitment_proposal_return(proposal=proposal, user=copilot, comment="")
    commitment_proposal_return(proposal=proposal, user=copilot, comment="Précisez le calendrier")
    proposal.refresh_from_db()
    assert proposal.review_status == ProposalStatus.RETURNED
    assert proposal.review_comment == "Précisez le calendrier"
    assert Commitment.objects.get(pk=own_commitment.pk).status == "not_started"
    with pytest.raises(ValidationError, match="déjà été examinée"):
        commitment_proposal_validate(proposal=proposal, user=copilot)


def test_the_secretariat_is_not_held_by_validation(validation_on, own_commitment, secretary):
    result = commitment_submit_update(
        commitment=own_commitment,
        user=secretary,
        status="in_progress",
        progress=5,
        narrative="",
        reason="Direct",
        expected_version=1,
    )
    assert isinstance(result, Commitment)
    assert result.status == "in_progress"


def test_bulk_update_is_all_or_nothing_with_one_reason(caf, contributor):
    commitments = list(caf.commitments.order_by("pk")[:3])
    count = commitment_bulk_update(
        commitments=commitments,
        user=contributor,
        status="in_progress",
        reason="Revue annuelle",
        expected_versions={c.pk: c.version for c in commitments},
    )
    assert count == 3
    for commitment in commitments:
        latest = commitment.history.latest()
        assert (latest.status, latest.history_change_reason) == ("in_progress", "Revue annuelle")

    # Blocked is allowed from "in progress", "achieved" without evidence is not: nothing moves.
    with pytest.raises(ValidationError, match="justificatif"):
        commitment_bulk_update(
            commitments=commitments,
            user=contributor,
            status="achieved",
            reason="Fini",
            expected_versions={c.pk: c.version + 1 for c in commitments},
        )
    assert set(
        caf.commitments.filter(pk__in=[c.pk for c in commitments]).values_list("status", flat=True)
    ) == {"in_progress"}


def test_bulk_update_through_the_admin(client, caf, contributor):
    client.force_login(contributor)
    ids = list(caf.commitments.order_by("pk").values_list("pk", flat=True)[:2])
    url = reverse("wagtail_bulk_action", args=("engagements", "commitment", "update"))
    url += "?" + "&".join(f"id={pk}" for pk in ids) + "&next=/admin/mes-engagements/"
    page = client.get(url)
    assert page.status_code == 200
    versions = page.context["form"]["versions"].value()
    response = client.post(url, {"status": "in_progress", "reason": "", "versions": versions})
    assert response.status_code == 200  # the reason is required
    assert not Commitment.objects.filter(pk__in=ids, status="in_progress").exists()
    response = client.post(
        url, {"status": "in_progress", "progress": 15, "reason": "Lot", "versions": versions}
    )
    assert response.status_code == 302
    assert Commitment.objects.filter(pk__in=ids, status="in_progress", progress=15).count() == 2


def test_create_partner_user_command(caf):
    call_command(
        "create_partner_user",
        "marie",
        "--partner",
        "caf",
        "--email",
        "m@example.org",
        "--no-password",
    )
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="marie")
    assert user.partner_membership.partner == caf
    assert user.groups.filter(name=PARTNER_CONTRIBUTORS).exists()
    assert not user.has_usable_password()
    with pytest.raises(CommandError, match="déjà pris"):
        call_command(
            "create_partner_user",
            "marie",
            "--partner",
            "CAF",
            "--email",
            "m@example.org",
            "--no-password",
        )
    with pytest.raises(CommandError, match="introuvable"):
        call_command(
            "create_partner_user",
            "paul",
            "--partner",
            "nope",
            "--email",
            "p@example.org",
            "--no-password",
        )
    assert Group.objects.get(name=PARTNER_CONTRIBUTORS).user_set.count() == 1
