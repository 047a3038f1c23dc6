"""Figures as of a past date, read from django-simple-history rows dated explicitly."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from engagements.choices import CommitmentStatus as S
from engagements.models import Commitment
from monitoring.selectors import commitment_states, dashboard

pytestmark = pytest.mark.django_db
History = Commitment.history.model


def at(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def change(commitment, when, **values):
    """Apply a change and date its history row at `when`."""
    for name, value in values.items():
        setattr(commitment, name, value)
    commitment.save()
    row = History.objects.filter(id=commitment.pk).order_by("-history_id").first()
    History.objects.filter(history_id=row.history_id).update(history_date=when)


@pytest.fixture
def dated(small):
    """Every commitment created on 10 January 2018 as "not started", then moved at known times."""
    ids = [c.pk for c in (small.c1, small.c2, small.c3, small.c4, small.c5, small.c6, small.c7)]
    History.objects.filter(id__in=ids).update(history_date=at(2018, 1, 10))
    Commitment.objects.filter(pk__in=ids).update(status=S.NOT_STARTED, due_date=None)
    History.objects.filter(id__in=ids).update(status=S.NOT_STARTED, due_date=None)
    for commitment in (small.c1, small.c2, small.c3):
        commitment.refresh_from_db()
    change(small.c1, at(2018, 3, 1), status=S.IN_PROGRESS, due_date=datetime.date(2018, 5, 1))
    change(small.c1, at(2018, 6, 15), status=S.ACHIEVED, progress=100)
    change(small.c2, at(2018, 4, 2), status=S.IN_PROGRESS)
    change(small.c2, at(2018, 5, 29, 9), status=S.BLOCKED)
    change(small.c3, at(2018, 5, 30), status=S.IN_PROGRESS)
    return small


def test_state_on_29_may_2018(dated):
    result = dashboard(charter=dated.charter, as_of=datetime.date(2018, 5, 29))

    assert result.is_past
    assert result.totals.total == 7
    assert result.totals.by_status == {
        S.NOT_STARTED: 5,  # c3 to c7 (c3 moves on 30 May)
        S.IN_PROGRESS: 1,  # c1
        S.ACHIEVED: 0,  # c1 is achieved on 15 June
        S.BLOCKED: 1,  # c2, changed at 9:00 that very day
        S.ABANDONED: 0,
    }
    # c1 was due on 1 May 2018 and still in progress on 29 May.
    assert result.totals.overdue == 1
    alpha = {row.label: row for row in result.by_partner}["Alpha"]
    assert (alpha.total, alpha.by_status[S.BLOCKED], alpha.overdue) == (3, 1, 1)


def test_state_before_any_commitment_existed(dated):
    result = dashboard(charter=dated.charter, as_of=datetime.date(2017, 12, 31))
    assert result.totals.total == 0
    assert result.by_partner == []


def test_state_after_the_last_change_equals_the_current_state_minus_later_rows(dated):
    past = dashboard(charter=dated.charter, as_of=datetime.date(2018, 7, 1)).totals
    assert past.by_status[S.ACHIEVED] == 1
    assert past.by_status[S.BLOCKED] == 1
    assert past.by_status[S.IN_PROGRESS] == 1
    now = dashboard(charter=dated.charter).totals
    assert now.by_status == past.by_status  # nothing changed since 2018


def test_deleted_commitments_disappear_from_later_states(dated):
    pk = dated.c7.pk
    dated.c7.delete()
    History.objects.filter(id=pk, history_type="-").update(history_date=at(2018, 9, 1))
    assert dashboard(charter=dated.charter, as_of=datetime.date(2018, 8, 31)).totals.total == 7
    assert dashboard(charter=dated.charter, as_of=datetime.date(2018, 9, 2)).totals.total == 6


def test_one_row_per_commitment_in_a_single_query(dated):
    with CaptureQueriesContext(connection) as context:
        rows = list(commitment_states(charter=dated.charter, as_of=at(2018, 5, 29, 23)))
    assert len(context.captured_queries) == 1
    assert sorted(row.id for row in rows) == sorted(
        c.pk for c in (dated.c1, dated.c2, dated.c3, dated.c4, dated.c5, dated.c6, dated.c7)
    )


def test_past_dashboard_query_count_does_not_grow_with_history(
    dated, django_assert_max_num_queries
):
    def count():
        with CaptureQueriesContext(connection) as context:
            dashboard(charter=dated.charter, as_of=datetime.date(2018, 5, 29))
        return len(context.captured_queries)

    before = count()
    for n in range(20):
        change(dated.c4, at(2018, 2, 1 + n), progress=n)
    assert count() == before
    with django_assert_max_num_queries(9):
        dashboard(charter=dated.charter, as_of=datetime.date(2018, 5, 29))


def test_future_dates_are_the_current_state(dated):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    result = dashboard(charter=dated.charter, as_of=tomorrow)
    assert not result.is_past
    assert result.as_of == timezone.localdate()
