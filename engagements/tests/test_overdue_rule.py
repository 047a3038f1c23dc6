"""« En retard » has one definition (engagements.models.overdue_q) and its Python twin."""

import datetime
import re
from pathlib import Path

import pytest

from engagements.choices import CommitmentStatus
from engagements.models import Commitment, is_overdue_on, overdue_q

ROOT = Path(__file__).resolve().parents[2]
TODAY = datetime.date(2026, 6, 15)


@pytest.mark.django_db
def test_query_and_python_twin_agree_on_every_status_and_date(charter_page):
    commitments = list(Commitment.objects.for_charter(charter_page).order_by("pk")[:30])
    dates = [None, TODAY - datetime.timedelta(days=1), TODAY, TODAY + datetime.timedelta(days=1)]
    statuses = list(CommitmentStatus)
    for index, commitment in enumerate(commitments):
        commitment.due_date = dates[index % len(dates)]
        commitment.status = statuses[index % len(statuses)]
    Commitment.objects.bulk_update(commitments, ["due_date", "status"])
    pks = [c.pk for c in commitments]
    in_query = set(
        Commitment.objects.filter(pk__in=pks).filter(overdue_q(TODAY)).values_list("pk", flat=True)
    )
    in_python = {
        c.pk
        for c in commitments
        if is_overdue_on(due_date=c.due_date, status=c.status, today=TODAY)
    }
    assert in_query == in_python
    assert in_query  # the sample holds overdue commitments …
    assert in_query != set(pks)  # … and others


def test_the_overdue_condition_is_written_once():
    """No other module re-derives the rule: `due_date__lt` / `due_date <` live in one place."""
    pattern = re.compile(r"due_date__lt\b|due_date\s*<(?!=)")
    owners = {
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not {".venv", "tests", "migrations", "bench"} & set(path.parts)
        and pattern.search(path.read_text(encoding="utf-8"))
    }
    assert owners == {"engagements/models.py"}
