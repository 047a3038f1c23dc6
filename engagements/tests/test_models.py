import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from engagements.choices import CommitmentStatus
from engagements.models import Commitment

from .factories import CommitmentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("status", "due_date", "overdue"),
    [
        (CommitmentStatus.IN_PROGRESS, YESTERDAY, True),
        (CommitmentStatus.NOT_STARTED, YESTERDAY, True),
        (CommitmentStatus.ACHIEVED, YESTERDAY, False),
        (CommitmentStatus.ABANDONED, YESTERDAY, False),
        (CommitmentStatus.IN_PROGRESS, datetime.date.today() + datetime.timedelta(days=1), False),
        (CommitmentStatus.IN_PROGRESS, None, False),
    ],
)
def test_overdue_is_computed_from_the_due_date(status, due_date, overdue):
    commitment = CommitmentFactory(status=status, due_date=due_date)

    assert commitment.is_overdue is overdue
    assert Commitment.objects.overdue().filter(pk=commitment.pk).exists() is overdue


def test_the_owner_must_belong_to_the_partner():
    commitment = CommitmentFactory()
    outsider = UserFactory()
    commitment.owner = outsider

    with pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "membre de l'organisation partenaire" in str(error.value)

    member = MembershipFactory(partner=commitment.partner).user
    commitment.owner = member
    commitment.full_clean()


def test_progress_above_100_is_refused_by_validation_and_by_the_database():
    commitment = CommitmentFactory()
    commitment.progress = 101
    with pytest.raises(ValidationError):
        commitment.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=commitment.pk).update(progress=101)


def test_two_commitments_cannot_share_partner_action_and_position():
    first = CommitmentFactory(position=1)
    duplicate = Commitment(partner=first.partner, action=first.action, position=1, text="Autre")
    with pytest.raises(ValidationError, match="déjà un engagement à ce rang"):
        duplicate.full_clean()


def test_history_records_creation_and_updates():
    commitment = CommitmentFactory(text="Version 1")
    commitment.text = "Version 2"
    commitment._change_reason = "Reformulation"
    commitment.save()

    texts = list(commitment.history.order_by("history_date").values_list("text", flat=True))
    assert texts == ["Version 1", "Version 2"]
    assert commitment.history.latest().history_change_reason == "Reformulation"
