"""The « état au » dashboard runs the same number of queries whatever the data and its history."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements.models import Commitment
from engagements.tests.factories import PartnerFactory
from monitoring.selectors import dashboard

pytestmark = pytest.mark.django_db
History = Commitment.history.model
DATED = timezone.make_aware(datetime.datetime(2020, 1, 10, 12))
BEFORE = "2019-12-31"  # before every history row: an empty state
AFTER = "2021-06-30"


@pytest.fixture
def dated_charter(charter_page):
    """The synthetic charter's history rows all dated 10 January 2020."""
    ids = Commitment.objects.for_charter(charter_page).values("pk")
    History.objects.filter(id__in=ids).update(history_date=DATED)
    return charter_page


def _add_commitments_with_history(charter, *, count: int, changes: int) -> None:
    """`count` new commitments, each saved `changes` more times, all dated before AFTER."""
    action = Commitment.objects.for_charter(charter).first().action
    for n in range(count):
        commitment = Commitment.objects.create(
            partner=PartnerFactory(), action=action, position=300 + n, text=f"Ajout {n}"
        )
        for step in range(changes):
            commitment.progress = 5 * (step + 1)
            commitment.save()
    History.objects.filter(history_date__gt=DATED).update(history_date=DATED)


def test_as_of_dashboard_query_count_is_pinned_and_independent_of_the_data(
    client, dated_charter, committee_user, django_assert_max_num_queries
):
    client.force_login(committee_user)
    url = reverse("monitoring:dashboard")
    client.get(url)  # warm the per-process caches (site, menu)

    def get(as_of):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url, {"charter": dated_charter.pk, "as_of": as_of})
        assert response.status_code == 200
        return response.content.decode(), len(context.captured_queries)

    with django_assert_max_num_queries(21):
        client.get(url, {"charter": dated_charter.pk, "as_of": AFTER})
    html, reference = get(AFTER)
    assert "20 engagements" in html
    # No commitment existed yet: no row to label, the same queries all the same.
    html, empty = get(BEFORE)
    assert "0 engagement :" in html
    assert empty == reference

    _add_commitments_with_history(dated_charter, count=30, changes=5)
    html, grown = get(AFTER)
    assert "50 engagements" in html
    assert grown == reference


def test_as_of_selector_query_count_is_independent_of_the_data(
    dated_charter, django_assert_max_num_queries
):
    def count(day):
        with CaptureQueriesContext(connection) as context:
            result = dashboard(charter=dated_charter, as_of=datetime.date.fromisoformat(day))
        return result.totals.total, len(context.captured_queries)

    with django_assert_max_num_queries(5):
        dashboard(charter=dated_charter, as_of=datetime.date.fromisoformat(AFTER))
    total, reference = count(AFTER)
    assert total == 20  # tests/synthetic.py
    assert count(BEFORE) == (0, reference)
    _add_commitments_with_history(dated_charter, count=10, changes=9)
    assert count(AFTER) == (30, reference)
