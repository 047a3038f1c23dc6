"""One figures selector: the partner page, the partner list, the matrix, the open data, the API
and the steering dashboard show the same figures for the same commitments."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.choices import CommitmentStatus as S
from engagements.models import Commitment
from engagements.selectors import Figures, commitment_figures, commitment_figures_by
from monitoring.selectors import dashboard

pytestmark = pytest.mark.django_db

STATUSES = [S.ACHIEVED, S.IN_PROGRESS, S.IN_PROGRESS, S.BLOCKED, S.NOT_STARTED, S.ABANDONED]


@pytest.fixture
def varied(charter_page, caf):
    """The CAF's commitments in the synthetic charter, with varied statuses, due dates, progress."""
    today = timezone.localdate()
    commitments = list(Commitment.objects.for_charter(charter_page).filter(partner=caf))
    assert len(commitments) >= len(STATUSES)
    for i, commitment in enumerate(commitments):
        Commitment.objects.filter(pk=commitment.pk).update(
            status=STATUSES[i % len(STATUSES)],
            due_date=today + datetime.timedelta(days=(-10 if i % 2 else 10)),
            progress=(i * 17) % 101,
        )
    return Commitment.objects.public().for_charter(charter_page).filter(partner=caf)


def _plain(figures) -> tuple:
    """What every page shows: total, counts by status, overdue, share achieved, mean progress."""
    if isinstance(figures, dict):  # the pages' figures before the one selector
        by_status = {item["status"]: item["count"] for item in figures["by_status"]}
        return (
            figures["total"],
            by_status,
            figures["overdue"],
            figures["achieved_share"],
            figures["mean_progress"],
        )
    by_status = {status: figures.by_status.get(status, 0) for status in S.values}
    return (
        figures.total,
        by_status,
        figures.overdue,
        figures.achieved_share,
        figures.mean_progress,
    )


def test_commitment_figures_aggregates_in_sql(varied, django_assert_num_queries):
    rows = list(varied)
    today = timezone.localdate()
    with django_assert_num_queries(1):
        figures = commitment_figures(varied)
    assert figures.total == len(rows)
    assert figures.by_status == {s: sum(1 for c in rows if c.status == s) for s in S.values}
    assert figures.overdue == sum(1 for c in rows if c.is_overdue)
    assert figures.mean_progress == round(sum(c.progress for c in rows) / len(rows))
    assert figures.achieved_share == round(100 * figures.achieved / len(rows))
    assert commitment_figures(Commitment.objects.none()) == Figures()
    by_partner = commitment_figures_by(varied, "partner_id", today=today)
    assert list(by_partner.values()) == [figures]


def test_every_page_file_and_dashboard_shows_the_same_figures(client, charter_page, caf, varied):
    expected = _plain(commitment_figures(varied))

    partner_page = client.get(reverse("engagements_public:partner", kwargs={"slug": caf.slug}))
    assert _plain(partner_page.context["figures"]) == expected
    assert _plain(partner_page.context["charter_groups"][0]["figures"]) == expected

    partner_list = client.get(reverse("engagements_public:partner_list"))
    listed = next(p for p in partner_list.context["partners"] if p.pk == caf.pk)
    assert _plain(listed.figures) == expected

    matrix = client.get(
        reverse("engagements_public:matrix", kwargs={"charter_slug": charter_page.slug})
    )
    in_matrix = next(p for p in matrix.context["partners"] if p.pk == caf.pk)
    assert _plain(in_matrix.figures) == expected
    everyone = Commitment.objects.public().for_charter(charter_page)
    assert _plain(matrix.context["figures"]) == _plain(commitment_figures(everyone))

    dashboard_row = next(
        row for row in dashboard(charter=charter_page).by_partner if row.key == caf.pk
    )
    assert _plain(dashboard_row) == expected

    api = client.get(
        f"/api/v2/engagements/?partenaire={caf.slug}&charte={charter_page.slug}&limit=100"
    ).json()["items"]
    rows = list(
        csv.DictReader(io.StringIO(client.get("/donnees/engagements.csv").content.decode()))
    )
    rows = [r for r in rows if r["partenaire"] == caf.slug and r["charte"] == charter_page.slug]
    for records, overdue in ((api, True), (rows, "true")):
        total = len(records)
        by_status = {s: sum(1 for r in records if r["statut"] == s) for s in S.values}
        progress = sum(int(r["avancement"]) for r in records)
        assert (
            total,
            by_status,
            sum(1 for r in records if r["en_retard"] == overdue),
            round(100 * by_status[S.ACHIEVED] / total),
            round(progress / total),
        ) == expected
