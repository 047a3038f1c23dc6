import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from charter.roles import PARTNER_CONTRIBUTORS
from engagements.choices import COMMITMENT_STATUS_TRANSITIONS, CommitmentStatus
from engagements.services import commitment_change_status

from .factories import CommitmentFactory, user_with_role

pytestmark = pytest.mark.django_db


def contributor_of(commitment):
    return user_with_role(PARTNER_CONTRIBUTORS, partner=commitment.partner)


def test_change_status_records_who_when_and_why():
    commitment = CommitmentFactory()
    user = contributor_of(commitment)

    commitment_change_status(
        commitment=commitment,
        user=user,
        status=CommitmentStatus.IN_PROGRESS,
        reason="Groupe de travail lancé",
    )

    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.IN_PROGRESS
    latest = commitment.history.latest()
    assert latest.status == CommitmentStatus.IN_PROGRESS
    assert latest.history_user == user
    assert latest.history_change_reason == "Groupe de travail lancé"
    assert commitment.history.count() == 2  # creation + change


def test_change_status_writes_the_wagtail_audit_log():
    commitment = CommitmentFactory()
    user = contributor_of(commitment)

    commitment_change_status(
        commitment=commitment,
        user=user,
        status=CommitmentStatus.ACHIEVED,
        reason="Fait",
        evidence_url="https://example.org/bilan.pdf",
    )

    entry = ModelLogEntry.objects.get(action="engagements.change_status")
    assert entry.object_id == str(commitment.pk)
    assert entry.user == user
    assert entry.data == {
        "from": "not_started",
        "to": "achieved",
        "reason": "Fait",
        "changed": ["status", "progress", "evidence_url"],
        "version": 2,
    }


def test_achieved_sets_progress_to_100():
    commitment = CommitmentFactory(progress=40, status=CommitmentStatus.IN_PROGRESS)

    commitment_change_status(
        commitment=commitment,
        user=None,
        status=CommitmentStatus.ACHIEVED,
        reason="Terminé",
        evidence_url="https://example.org/bilan.pdf",
    )

    assert commitment.progress == 100


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_is_required_and_nothing_changes_without_it(reason):
    commitment = CommitmentFactory()

    with pytest.raises(ValidationError) as error:
        commitment_change_status(
            commitment=commitment, user=None, status=CommitmentStatus.IN_PROGRESS, reason=reason
        )

    assert "motif" in str(error.value)
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.NOT_STARTED
    assert commitment.history.count() == 1


def test_a_forbidden_transition_is_refused_with_a_french_message():
    commitment = CommitmentFactory(status=CommitmentStatus.NOT_STARTED)

    with pytest.raises(ValidationError) as error:
        commitment_change_status(
            commitment=commitment, user=None, status=CommitmentStatus.BLOCKED, reason="?"
        )

    assert "« Non démarré » ne peut pas passer à « Bloqué »" in str(error.value)
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.NOT_STARTED
    assert not ModelLogEntry.objects.filter(action="engagements.change_status").exists()


def test_an_unknown_status_is_refused():
    commitment = CommitmentFactory()

    with pytest.raises(ValidationError, match="Statut inconnu"):
        commitment_change_status(commitment=commitment, user=None, status="termine", reason="x")


def test_the_transition_table_covers_every_status_and_only_known_ones():
    assert set(COMMITMENT_STATUS_TRANSITIONS) == set(CommitmentStatus)
    for targets in COMMITMENT_STATUS_TRANSITIONS.values():
        assert targets <= set(CommitmentStatus)


def test_the_transition_starts_from_the_stored_status_not_a_stale_copy():
    commitment = CommitmentFactory()
    stale = type(commitment).objects.get(pk=commitment.pk)
    commitment_change_status(
        commitment=commitment,
        user=None,
        status=CommitmentStatus.ACHIEVED,
        reason="Fait",
        evidence_url="https://example.org/bilan.pdf",
    )

    # The stale copy still says "not started", but the database says "achieved":
    # achieved → abandoned is not allowed, so the change is refused.
    with pytest.raises(ValidationError):
        commitment_change_status(
            commitment=stale, user=None, status=CommitmentStatus.ABANDONED, reason="Oups"
        )
