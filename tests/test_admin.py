"""The Wagtail admin lists partners, actions, commitments and the lexicon, in French."""

import csv
import io

import pytest

from charter.models import OrientationPage, Partner
from engagements.choices import CommitmentStatus
from engagements.models import Commitment

pytestmark = pytest.mark.django_db


def test_the_admin_speaks_french(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert "Tableau de bord" in html
    for label in ("Partenaires", "Engagements", "Actions", "Lexique", "Indicateurs"):
        assert label in html, label


def test_partner_listing_filters_and_search(admin_client):
    response = admin_client.get("/admin/snippets/charter/partner/", {"kind": "state"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Préfecture de Testville" in html
    assert "Caisse d&#x27;allocations familiales" not in html

    response = admin_client.get("/admin/snippets/charter/partner/", {"q": "allocations"})
    assert "Caisse d&#x27;allocations familiales" in response.content.decode()
    assert "Préfecture de Testville" not in response.content.decode()


def test_commitment_listing_filters_by_partner_orientation_and_status(admin_client, charter_page):
    url = "/admin/snippets/engagements/commitment/"
    caf = Partner.objects.get(short_name="CAF")
    response = admin_client.get(url, {"partner": caf.pk})
    assert response.status_code == 200
    # tests/synthetic.py: CAF has 6 commitments, 2 of them in orientation 1 (actions 1 and 2).
    assert response.context["items_count"] == Commitment.objects.filter(partner=caf).count() == 6

    orientation_1 = OrientationPage.objects.child_of(charter_page).get(number=1)
    response = admin_client.get(url, {"partner": caf.pk, "orientation": orientation_1.pk})
    assert response.context["items_count"] == 2

    Commitment.objects.filter(partner=caf, action__number=1).update(
        status=CommitmentStatus.ACHIEVED
    )
    response = admin_client.get(url, {"status": CommitmentStatus.ACHIEVED})
    assert response.context["items_count"] == 5  # the 4 achieved ones of the charter and this


def test_commitment_search(admin_client):
    response = admin_client.get("/admin/snippets/engagements/commitment/", {"q": "annuaire"})
    assert response.status_code == 200
    assert response.context["items_count"] == 3  # CAF, ADIL 75, Préfecture on action 4
    assert "annuaire" in response.content.decode()


def test_commitment_listing_query_count_is_bounded(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        response = admin_client.get("/admin/snippets/engagements/commitment/")
    assert response.status_code == 200


def test_commitment_export_csv(admin_client):
    response = admin_client.get("/admin/snippets/engagements/commitment/", {"export": "csv"})
    assert response.status_code == 200
    assert 'filename="engagements.csv"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # CSV for a French Excel
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][:3] == ["Identifiant", "Partenaire", "Action"]
    assert len(rows) == 1 + Commitment.objects.count() == 21
    assert {row[5] for row in rows[1:]} == {
        "Non démarré",
        "En cours",
        "Réalisé",
        "Bloqué",
        "Abandonné",
    }


def test_action_listing_filters_by_orientation(admin_client, charter_page):
    orientation_1 = OrientationPage.objects.child_of(charter_page).get(number=1)
    response = admin_client.get("/admin/actions/", {"orientation": orientation_1.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Informer les locataires dès le premier impayé" in html
    assert "Partager un annuaire des acteurs" not in html


def test_lexicon_listing_and_search(admin_client):
    response = admin_client.get("/admin/snippets/glossary/lexiconentry/", {"q": "CCAPEX"})
    assert response.status_code == 200
    assert "Commission de coordination des actions" in response.content.decode()


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get("/admin/snippets/engagements/commitment/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
