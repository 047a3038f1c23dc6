"""The partner workspace dates "not updated since the last meeting" by monitoring's meetings."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.models import Commitment
from engagements.selectors import last_committee_meeting
from engagements.tests.factories import commitment_update_as as update
from monitoring.models import CommitteeMeeting

pytestmark = pytest.mark.django_db


def test_engagements_reads_the_last_past_meeting_through_the_hook():
    CommitteeMeeting.objects.all().delete()
    assert last_committee_meeting() is None
    today = timezone.localdate()
    CommitteeMeeting.objects.create(date=today - datetime.timedelta(days=90))
    held = CommitteeMeeting.objects.create(date=today - datetime.timedelta(days=3))
    CommitteeMeeting.objects.create(date=today + datetime.timedelta(days=10))  # not held yet
    assert last_committee_meeting() == held
    assert last_committee_meeting(today=today - datetime.timedelta(days=30)).date == (
        today - datetime.timedelta(days=90)
    )


def test_my_commitments_filters_and_completeness(client, caf, contributor, own_commitment):
    client.force_login(contributor)
    url = reverse("engagements_mine")
    total = caf.commitments.count()
    CommitteeMeeting.objects.create(date=timezone.localdate() - datetime.timedelta(days=30))
    update(own_commitment, contributor, progress=10)

    response = client.get(url)
    assert response.context["total"] == total
    assert response.context["reported"] == 1
    assert response.context["reported_rate"] == round(100 / total)
    assert client.get(url, {"stale": "true"}).context["page_obj"].paginator.count == total - 1
    assert client.get(url, {"stale": "false"}).context["page_obj"].paginator.count == 1
    # CAF's one commitment in progress (action 2) is overdue (tests/synthetic.py).
    assert client.get(url, {"status": "in_progress"}).context["page_obj"].paginator.count == 1
    Commitment.objects.filter(pk=own_commitment.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert client.get(url, {"overdue": "true"}).context["page_obj"].paginator.count == 2
    action_count = caf.commitments.filter(action=own_commitment.action).count()
    response = client.get(url, {"action": own_commitment.action_id})
    assert response.context["page_obj"].paginator.count == action_count
    assert "Mes engagements" in response.content.decode()
