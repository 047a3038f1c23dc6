"""« Où en est la charte ? »: the committee's figures, published commitments only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from engagements.choices import CommitmentStatus as S
from engagements.models import Commitment
from engagements.selectors import commitment_figures
from monitoring.selectors import Filters, dashboard

pytestmark = pytest.mark.django_db


def _url(charter):
    return reverse("monitoring_public:progress", kwargs={"charter_slug": charter.slug})


def _plain(figures) -> tuple:
    return (figures.total, dict(figures.by_status), figures.overdue, figures.achieved_share)


@pytest.fixture
def half_public(small):
    """The small charter with orientation 2 unpublished: c5, c6, c7 (Bravo, Charlie) private."""
    small.o2.unpublish()
    return small


def test_page_figures_are_the_dashboards_public_figures(client, half_public):
    small = half_public
    response = client.get(_url(small.charter))
    assert response.status_code == 200
    page = response.context["dashboard"]
    committee = dashboard(charter=small.charter, filters=Filters(public_only=True))
    assert _plain(page.totals) == _plain(committee.totals)
    assert [(r.label, _plain(r)) for r in page.by_orientation] == [
        (r.label, _plain(r)) for r in committee.by_orientation
    ]
    assert [(r.label, _plain(r)) for r in page.by_partner] == [
        (r.label, _plain(r)) for r in committee.by_partner
    ]
    # … which are those of `Commitment.objects.public()`, not of every commitment.
    public = Commitment.objects.public().for_charter(small.charter)
    assert _plain(page.totals) == _plain(commitment_figures(public))
    assert page.totals.total == 4
    assert dashboard(charter=small.charter).totals.total == 7
    assert page.totals.by_status[S.ACHIEVED] == 1
    assert page.totals.overdue == 2  # c2 (in progress) and c4 (not started) are past due
    assert [r.label for r in page.by_partner] == ["Alpha", "Bravo"]
    assert [r.label for r in page.by_orientation] == ["Orientation 1 : Prévenir"]


def test_page_shows_each_chart_with_its_table_and_sentence(client, half_public):
    small = half_public
    html = client.get(_url(small.charter)).content.decode()
    # Private commitments leave no trace: Charlie has only commitments under orientation 2.
    assert "Charlie" not in html
    assert "Accompagner" not in html
    assert "Sur 4 engagements publiés, 1 réalisé (25 %)" in html
    assert "Orientation 1 : Prévenir" in html
    # One labelled SVG bar per group and one table per grouping (plus the whole charter's bar).
    assert html.count("class='status-stack'") == 1 + 1 + 2
    assert "Alpha : 3 engagements (non démarré 0, en cours 1, réalisé 1, bloqué 1" in html
    assert html.count("<table") == 2
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert (
        "2 partenaires ; la part d&#x27;engagements réalisés la plus élevée est celle de "
        "« Alpha » (33 %)" in html
    )
    partner_url = reverse("engagements_public:partner", kwargs={"slug": small.p1.slug})
    assert f'href="{partner_url}"' in html


def test_last_update_is_the_latest_public_report(client, half_public):
    small = half_public
    when = timezone.make_aware(datetime.datetime(2031, 3, 14, 10, 0))
    Commitment.objects.filter(pk=small.c4.pk).update(last_reported_at=when)
    later = timezone.make_aware(datetime.datetime(2031, 6, 1, 10, 0))
    Commitment.objects.filter(pk=small.c7.pk).update(last_reported_at=later)  # private
    html = client.get(_url(small.charter)).content.decode()
    assert 'datetime="2031-03-14"' in html
    assert "14 mars 2031" in html
    assert "juin 2031" not in html


def test_query_count_does_not_grow_with_the_data(client, small, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(_url(small.charter))  # the site frame, read once per content change (pages/memo.py)
    with CaptureQueriesContext(connection) as before:
        assert client.get(_url(small.charter)).status_code == 200
    for index in range(40):
        Commitment.objects.create(
            partner=[small.p1, small.p2, small.p3][index % 3],
            action=[small.a1, small.a2, small.a3][index % 3],
            position=100 + index,
            text=f"Engagement ajouté {index}",
            status=S.values[index % len(S.values)],
        )
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(_url(small.charter))
    assert response.context["totals"].total == 47


def test_unknown_or_unpublished_charter_is_404(client, small):
    assert (
        client.get(_url(small.charter).replace(small.charter.slug, "inconnue")).status_code == 404
    )
    small.charter.unpublish()
    assert client.get(_url(small.charter)).status_code == 404


def test_past_public_figures_leave_out_private_commitments(half_public):
    small = half_public
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Commitment.objects.filter(pk=small.c1.pk).update(status=S.IN_PROGRESS)
    past = dashboard(
        charter=small.charter,
        filters=Filters(public_only=True),
        as_of=tomorrow - datetime.timedelta(days=1),
    )
    assert past.totals.total == 4


def test_progress_page_is_linked_from_charter_menu_and_site_map(client, charter_page):
    url = _url(charter_page)
    charter_html = client.get(charter_page.url).content.decode()
    assert f'href="{url}"' in charter_html
    home_html = client.get("/").content.decode()
    assert "Où en est la charte ?" in home_html
    assert f'href="{url}"' in home_html  # the main menu
    response = client.get(reverse("monitoring_public:progress_current"))
    assert response.status_code == 302
    assert response["Location"] == url
    sitemap = client.get("/plan-du-site/").content.decode()
    assert reverse("monitoring_public:progress_current") in sitemap
