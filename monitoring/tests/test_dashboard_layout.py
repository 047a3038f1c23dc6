"""The committee's dashboard starts with the figures it asks first, in French dates and counts."""

import datetime

import pytest
from django.urls import reverse

from core.text import count_of, french_date
from monitoring.models import CommitteeMeeting

pytestmark = pytest.mark.django_db


def test_key_figures_come_first(client, small, committee_user):
    CommitteeMeeting.objects.create(date=datetime.date(2026, 12, 1))
    client.force_login(committee_user)
    html = client.get(reverse("monitoring:dashboard"), {"charter": small.charter.pk}).content
    html = html.decode()
    figures = html.index('class="key-figures"')
    # Before any table: achieved, in progress, late, not updated since the last meeting.
    assert figures < html.index('class="listing monitoring-table"')
    block = html[figures : html.index("</dl>", figures)]
    for label in ("Réalisés", "En cours", "En retard", "Non mis à jour"):
        assert f"<dt>{label}</dt>" in block
    assert "depuis le comité du 1er décembre 2026" in block
    assert "29 % des 7" in block  # 2 achieved of 7
    # Every table scrolls inside its own labelled box.
    assert html.count('class="table-scroll"') == 3


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2026, 12, 1), "1er décembre 2026"),
        (datetime.date(2017, 12, 14), "14 décembre 2017"),
        (datetime.date(2018, 8, 2), "2 août 2018"),
    ],
)
def test_french_date(day, text):
    assert french_date(day) == text


@pytest.mark.parametrize(("count", "text"), [(0, "0 réalisé"), (1, "1 réalisé"), (2, "2 réalisés")])
def test_count_of(count, text):
    assert count_of(count, "réalisé") == text
