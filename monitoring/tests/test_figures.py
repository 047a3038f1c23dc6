"""Dashboard figures, hand-computed on the small charter of conftest.py.

| commitment | partner | action (orientation) | status      | due date  |
| c1         | Alpha   | 1 (O1)               | achieved    | today-10  |
| c2         | Alpha   | 1 (O1)               | in progress | today-5   | overdue
| c3         | Alpha   | 2 (O1)               | blocked     | —         |
| c4         | Bravo   | 2 (O1)               | not started | today-1   | overdue
| c5         | Bravo   | 3 (O2)               | achieved    | —         |
| c6         | Charlie | 3 (O2)               | abandoned   | today-30  |
| c7         | Charlie | 3 (O2)               | in progress | today+30  |
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements.choices import CommitmentStatus as S
from engagements.models import Commitment
from monitoring.models import CommitteeMeeting, ReviewCampaign
from monitoring.selectors import Filters, dashboard, start_of_day

pytestmark = pytest.mark.django_db


def by_label(rows):
    return {row.label: row for row in rows}


def test_totals(small):
    result = dashboard(charter=small.charter)

    totals = result.totals
    assert totals.total == 7
    assert totals.by_status == {
        S.NOT_STARTED: 1,
        S.IN_PROGRESS: 2,
        S.ACHIEVED: 2,
        S.BLOCKED: 1,
        S.ABANDONED: 1,
    }
    assert totals.overdue == 2  # c2 and c4; c1 is achieved, c6 abandoned
    assert totals.achieved_share == 29  # 2/7
    assert totals.stale is None  # no committee meeting yet
    assert totals.completeness is None  # no review campaign


def test_by_orientation(small):
    rows = dashboard(charter=small.charter).by_orientation

    assert [row.label for row in rows] == [str(small.o1), str(small.o2)]
    o1, o2 = rows
    assert (o1.total, o1.achieved, o1.overdue, o1.achieved_share) == (4, 1, 2, 25)
    assert (o2.total, o2.achieved, o2.overdue, o2.achieved_share) == (3, 1, 0, 33)
    assert o1.by_status[S.BLOCKED] == 1 and o2.by_status[S.ABANDONED] == 1


def test_by_action(small):
    rows = by_label(dashboard(charter=small.charter).by_action)

    assert (rows[str(small.a1)].total, rows[str(small.a1)].achieved_share) == (2, 50)
    assert (rows[str(small.a2)].total, rows[str(small.a2)].overdue) == (2, 1)
    assert (rows[str(small.a3)].total, rows[str(small.a3)].achieved) == (3, 1)


def test_by_partner_scorecard_with_meeting_and_campaign(small):
    now = timezone.now()
    # A meeting 20 days ago; a campaign opened 3 days ago.
    CommitteeMeeting.objects.create(date=small.day(-20))
    ReviewCampaign.objects.create(
        charter=small.charter,
        year=small.today.year,
        deadline=small.day(10),
        opened_at=now - datetime.timedelta(days=3),
    )
    # Reports: c2 before the meeting, c3 between the meeting and the campaign, c4 and c7 since.
    Commitment.objects.filter(pk=small.c2.pk).update(last_reported_at=now - datetime.timedelta(40))
    Commitment.objects.filter(pk=small.c3.pk).update(last_reported_at=now - datetime.timedelta(10))
    Commitment.objects.filter(pk__in=[small.c4.pk, small.c7.pk]).update(last_reported_at=now)

    result = dashboard(charter=small.charter)
    rows = by_label(result.by_partner)

    # Stale = never reported or reported before the meeting: c1, c2, c5, c6.
    assert result.totals.stale == 4
    assert (rows["Alpha"].stale, rows["Bravo"].stale, rows["Charlie"].stale) == (2, 1, 1)
    # Pending in the campaign = open and not reported since it opened: c2, c3 (Alpha).
    assert (rows["Alpha"].pending, rows["Bravo"].pending, rows["Charlie"].pending) == (2, 0, 0)
    assert rows["Alpha"].completeness == 33  # 1 of 3 (c1 is achieved: nothing to report)
    assert rows["Bravo"].completeness == 100
    assert result.totals.completeness == 71  # 5 of 7
    assert rows["Alpha"].last_update == Commitment.objects.get(pk=small.c3.pk).last_reported_at
    assert rows["Charlie"].overdue == 0 and rows["Alpha"].overdue == 1


def test_filters(small):
    only_o1_alpha = dashboard(
        charter=small.charter, filters=Filters(orientation=small.o1, partner=small.p1)
    )
    assert only_o1_alpha.totals.total == 3
    blocked = dashboard(charter=small.charter, filters=Filters(status=S.BLOCKED))
    assert blocked.totals.total == 1
    period = dashboard(
        charter=small.charter, filters=Filters(due_from=small.day(-10), due_to=small.day(0))
    )
    assert period.totals.total == 3  # c1, c2, c4
    assert [row.label for row in period.by_partner] == ["Alpha", "Bravo"]


def test_meeting_counts_only_the_last_one_before_the_day(small):
    CommitteeMeeting.objects.create(date=small.day(-200))
    CommitteeMeeting.objects.create(date=small.day(5))  # future: ignored
    result = dashboard(charter=small.charter)
    assert result.last_meeting.date == small.day(-200)
    assert start_of_day(result.last_meeting.date) < timezone.now()


def _count_queries(charter):
    with CaptureQueriesContext(connection) as context:
        dashboard(charter=charter)
    return len(context.captured_queries)


def test_query_count_is_fixed_and_independent_of_data_size(small, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        dashboard(charter=small.charter)
    before = _count_queries(small.charter)
    for n in range(30):
        Commitment.objects.create(
            partner=[small.p1, small.p2, small.p3][n % 3],
            action=[small.a1, small.a2, small.a3][n % 3],
            position=100 + n,
            text=f"Engagement supplémentaire {n}",
        )
    assert _count_queries(small.charter) == before
    assert dashboard(charter=small.charter).totals.total == 37


def test_synthetic_charter_dashboard_matches_the_commitment_table(charter_page):
    result = dashboard(charter=charter_page)
    # 20 commitments of 6 partners on 6 actions in 3 orientations (tests/synthetic.py).
    assert result.totals.total == Commitment.objects.for_charter(charter_page).count() == 20
    assert sum(row.total for row in result.by_orientation) == 20
    assert sum(row.total for row in result.by_partner) == 20
    assert len(result.by_orientation) == 3
    assert len(result.by_action) == 6
    assert result.totals.overdue == 4
