"""The public site serves the synthetic charter: home, charter, orientation and action pages."""

import pytest
from django.test import override_settings

from charter.models import ActionPage, OrientationPage
from core.text import markdown_to_html
from engagements.models import Commitment

pytestmark = pytest.mark.django_db


def test_home_page_links_the_charter(client, charter_page, django_assert_max_num_queries):
    with django_assert_max_num_queries(17):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert charter_page.url in html
    assert "Charte synthétique de prévention des expulsions locatives" in html


def test_charter_page_has_the_table_of_contents(
    client, charter_page, django_assert_max_num_queries
):
    with django_assert_max_num_queries(22):  # + 2: the help entries of the menu and footer
        response = client.get(charter_page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Orientation ") >= 3
    assert "Action 6 : Reloger les ménages de bonne foi" in html
    assert "Déclaration de l&#x27;Union des propriétaires" in html


def test_orientation_page_lists_its_actions(client, charter_page):
    orientation = OrientationPage.objects.child_of(charter_page).get(number=3)
    response = client.get(orientation.url)
    assert response.status_code == 200
    assert "Proposer un diagnostic social et financier" in response.content.decode()


def test_action_page_shows_commitments_by_partner(
    client, charter_page, django_assert_max_num_queries
):
    action = ActionPage.objects.descendant_of(charter_page).get(number=3)
    with django_assert_max_num_queries(22):  # + 2: the help entries of the menu and footer
        response = client.get(action.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Union des propriétaires de Testville" in html
    assert "<li>les occupants sans droit ni titre</li>" in html


def test_fiche_page_shows_every_field(client, plan):
    action = ActionPage.objects.descendant_of(plan).get(code="3-3")
    response = client.get(action.url)
    html = response.content.decode()
    for label in ("Constats", "Pilotes de l&#x27;action", "Cadre juridique", "Moyens"):
        assert label in html, label
    assert "Action 3-4" in html  # linked fiche


def test_script_in_user_text_never_reaches_the_page(client, charter_page):
    commitment = Commitment.objects.filter(action__number=1).first()
    commitment.text = 'Texte <script>alert("x")</script> [lien](javascript:alert(1))'
    commitment.save()
    response = client.get(commitment.action.url)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "javascript:" not in html


def test_markdown_rendering_is_sanitised():
    html = markdown_to_html('- un\n- deux\n\n<img src=x onerror="alert(1)">')
    assert "<li>un</li>" in html
    assert "onerror" not in html
    assert "<img" not in html


@override_settings(LANGUAGE_CODE="fr")
def test_unknown_page_is_a_404_in_french(client):
    response = client.get("/page-qui-n-existe-pas/")
    assert response.status_code == 404


def test_charter_page_links_its_versions_and_docx(client, charter_page):
    response = client.get(charter_page.url)
    assert f'href="/versions/{charter_page.slug}/"' in response.content.decode()
    assert client.get(f"/versions/{charter_page.slug}/").status_code == 200
