"""Issue 15: the matrix and the partner pages filter by status and « en retard » (GET form)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from engagements.choices import CommitmentStatus as S
from engagements.models import Commitment

pytestmark = pytest.mark.django_db


def matrix_url(charter) -> str:
    return reverse("engagements_public:matrix", kwargs={"charter_slug": charter.slug})


def partner_url(partner) -> str:
    return reverse("engagements_public:partner", kwargs={"slug": partner.slug})


def history_link(commitment) -> str:
    return reverse("engagements_public:commitment_history", kwargs={"pk": commitment.pk})


@pytest.fixture
def varied(charter_page, caf, adil):
    """Three CAF and two ADIL commitments given known statuses and due dates; others open."""
    today = timezone.localdate()
    caf_ones = list(Commitment.objects.for_charter(charter_page).filter(partner=caf)[:3])
    adil_ones = list(Commitment.objects.for_charter(charter_page).filter(partner=adil)[:2])
    plan = [
        (caf_ones[0], S.ACHIEVED, today - datetime.timedelta(days=30)),  # closed: not late
        (caf_ones[1], S.IN_PROGRESS, today - datetime.timedelta(days=1)),  # late
        (caf_ones[2], S.IN_PROGRESS, today + datetime.timedelta(days=10)),
        (adil_ones[0], S.ACHIEVED, None),
        (adil_ones[1], S.NOT_STARTED, today - datetime.timedelta(days=5)),  # late
    ]
    for commitment, status, due in plan:
        Commitment.objects.filter(pk=commitment.pk).update(status=status, due_date=due)
    return [commitment for commitment, _status, _due in plan]


def _links(html: str, commitments) -> set[int]:
    return {c.pk for c in commitments if f'href="{history_link(c)}"' in html}


def test_matrix_filters_by_status(client, charter_page, varied):
    response = client.get(matrix_url(charter_page), {"statut": S.ACHIEVED})
    assert response.status_code == 200
    html = response.content.decode()
    assert _links(html, varied) == {varied[0].pk, varied[3].pk}
    achieved = Commitment.objects.public().for_charter(charter_page).filter(status=S.ACHIEVED)
    total = achieved.count()
    assert f"{total} engagement{'s' if total > 1 else ''} correspond" in html
    assert html.count('class="matrix__history"') == total
    assert '<option value="achieved" selected>' in html


def test_matrix_filters_overdue_with_the_one_rule(client, charter_page, varied):
    html = client.get(matrix_url(charter_page), {"en_retard": "oui"}).content.decode()
    assert _links(html, varied) == {varied[1].pk, varied[4].pk}
    overdue = Commitment.objects.public().for_charter(charter_page).overdue().count()
    assert html.count('class="matrix__history"') == overdue
    assert 'name="en_retard" value="oui" checked' in html
    # Both filters together.
    html = client.get(
        matrix_url(charter_page), {"en_retard": "oui", "statut": S.NOT_STARTED}
    ).content.decode()
    assert _links(html, varied) == {varied[4].pk}


def test_filters_keep_the_figures_of_the_whole_charter(client, charter_page, varied):
    def figures(html):
        return html.split('<dl class="figures">', 1)[1].split("</dl>", 1)[0]

    everything = client.get(matrix_url(charter_page)).content.decode()
    filtered = client.get(matrix_url(charter_page), {"statut": S.ACHIEVED}).content.decode()
    assert figures(everything) == figures(filtered)


def test_no_match_says_so_and_offers_to_reset(client, charter_page, varied):
    Commitment.objects.for_charter(charter_page).filter(status=S.ABANDONED).update(status=S.BLOCKED)
    html = client.get(matrix_url(charter_page), {"statut": S.ABANDONED}).content.decode()
    assert "Aucun engagement ne correspond à ce filtre." in html
    assert "0 engagement correspond au filtre" in html
    assert "<table" not in html


def test_partner_page_filters(client, caf, varied):
    html = client.get(partner_url(caf), {"statut": S.IN_PROGRESS}).content.decode()
    assert _links(html, varied) == {varied[1].pk, varied[2].pk}
    html = client.get(partner_url(caf), {"en_retard": "oui"}).content.decode()
    assert _links(html, varied) == {varied[1].pk}
    assert 'method="get"' in html


@pytest.mark.parametrize(
    "query",
    [
        "statut=en_retard",
        "statut=achieved&statut=blocked",
        "en_retard=1",
        "tri=nom",
        "statut=%00",
    ],
)
def test_bad_filter_values_are_a_french_400(client, charter_page, caf, query):
    for url in (matrix_url(charter_page), partner_url(caf)):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, (url, query)
        html = response.content.decode()
        assert "paramètre" in html.lower() or "valeur inconnue" in html.lower()


def test_filtered_pages_run_as_many_queries(client, charter_page, caf, varied):
    for url in (matrix_url(charter_page), partner_url(caf)):
        client.get(url)
        with CaptureQueriesContext(connection) as plain:
            client.get(url)
        with CaptureQueriesContext(connection) as filtered:
            client.get(url, {"statut": S.IN_PROGRESS, "en_retard": "oui"})
        assert len(filtered.captured_queries) == len(plain.captured_queries), url
