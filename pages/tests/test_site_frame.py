"""The page frame in both themes, the editorial pages every public site must publish, the home
page's help stages and the query budget of the home and charter pages."""

import re

import pytest
from django.core.checks import run_checks
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from charter.models import ActionPage
from engagements.models import Commitment
from pages.accessibility import rgaa_audit

pytestmark = pytest.mark.django_db

ASSET = re.compile(r'<(?:link|script)[^>]+(?:href|src)="([^"]+)"')


def assets(html: str) -> list[str]:
    return ASSET.findall(html)


@override_settings(SITE_THEME="dsfr")
def test_the_dsfr_theme_uses_the_state_design_system(client):
    html = client.get("/").content.decode()
    assert any(url.endswith("dsfr/dist/dsfr/dsfr.min.css") for url in assets(html))
    assert any(url.endswith("dsfr.module.min.js") for url in assets(html))
    assert 'class="fr-header"' in html
    assert "République<br>Française" in html
    assert '<html lang="fr"' in html


@override_settings(SITE_THEME="neutral")
@pytest.mark.parametrize("path", ["/", "/charte-synthetique/", "/lexique/", "/partenaires/"])
def test_the_neutral_theme_has_no_dsfr_or_marianne_asset(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    urls = assets(html)
    assert any(url.endswith("css/neutral.css") for url in urls)
    assert not [url for url in urls if "dsfr" in url.lower()]
    assert "marianne" not in html.lower()
    assert "République" not in html
    assert 'class="fr-' not in html
    assert '<html lang="fr">' in html


def test_the_neutral_stylesheets_name_no_dsfr_font():
    from django.contrib.staticfiles import finders

    for name in ("css/neutral.css", "css/site.css"):
        with open(finders.find(name), encoding="utf-8") as handle:
            assert "marianne" not in handle.read().lower(), name


@override_settings(SITE_THEME="rouge")
def test_an_unknown_theme_is_refused_by_the_system_checks():
    errors = [error for error in run_checks() if error.id == "pages.E001"]
    assert errors and "dsfr, neutral" in errors[0].msg


@pytest.mark.parametrize("theme", ["dsfr", "neutral"])
def test_every_page_has_skip_links_a_main_landmark_and_the_accessibility_status(client, theme):
    with override_settings(SITE_THEME=theme):
        html = client.get("/").content.decode()
    assert html.index('href="#contenu"') < html.index("<header")
    assert '<main id="contenu"' in html
    assert f"Accessibilité : {rgaa_audit().status.label}" in html
    for path in (
        "/plan-du-site/",
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
    ):
        assert f'href="{path}"' in html


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("/accessibilite/", "Défenseur des droits"),
        ("/mentions-legales/", "Directeur de la publication"),
        ("/donnees-personnelles/", "Aucune donnée sur les ménages"),
    ],
)
def test_the_mandatory_editorial_pages_exist_and_are_editable_pages(client, path, text):
    response = client.get(path)
    assert response.status_code == 200
    assert text in response.content.decode()
    assert response.context["page"].specific_class.__name__ == "StandardPage"


def test_the_site_map_lists_every_public_page_and_section(client, charter_page):
    response = client.get("/plan-du-site/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{charter_page.url}"' in html
    action = ActionPage.objects.descendant_of(charter_page).get(number=6)
    assert f'href="{action.url}"' in html
    for name in ("glossary:lexicon", "engagements_public:partner_list", "opendata_index"):
        assert f'href="{reverse(name)}"' in html
    charter_page.get_children().first().unpublish()
    assert "Orientation" not in client.get("/plan-du-site/").context["tree"][0]["title"]


def test_the_home_page_leads_to_the_procedure_stages(client, charter_page):
    html = client.get("/").content.decode()
    assert 'href="/aide/"' in html  # the help entry (assistance/tests: its place and links)
    help_html = client.get("/aide/").content.decode()
    titles = ["Le premier impayé de loyer", "Le commandement de payer", "L'expulsion"]
    positions = [help_html.index(escape(title)) for title in titles]
    assert positions == sorted(positions)
    stage = client.get("/aide/le-commandement-de-payer/").content.decode()
    assert "Que faire ?" in stage and "Qui peut aider ?" in stage
    # Acronyms of the charter's lexicon are explained in the stages' text.
    assert '<abbr title="Commandement de payer">CDP</abbr>' in stage
    assert f'href="{charter_page.url}"' in html


def test_the_home_page_shows_the_docx_download_with_format_and_size(
    client, charter_page, public_version
):
    for path in ("/", charter_page.url):
        html = client.get(path).content.decode()
        assert re.search(r"Télécharger la charte \(DOCX – \d+,\d\d ko\)", html), path


def test_the_charter_page_has_stable_anchors_for_every_orientation_action_and_commitment(
    client, charter_page
):
    html = client.get(charter_page.url).content.decode()
    for number in range(1, 4):  # tests/synthetic.py: 3 orientations, 6 actions, 20 commitments
        assert f'id="orientation-{number}"' in html
    for number in range(1, 7):
        assert f'id="action-{number}"' in html
    commitments = Commitment.objects.for_charter(charter_page)
    assert commitments.count() == 20
    for pk in commitments.values_list("pk", flat=True):
        assert f'id="engagement-{pk}"' in html
    assert html.count('id="action-7-constats"') <= 1


@pytest.mark.parametrize("theme", ["dsfr", "neutral"])
def test_home_and_charter_pages_use_a_bounded_number_of_queries(
    client, charter_page, theme, django_assert_max_num_queries
):
    with override_settings(SITE_THEME=theme):
        # The help entries of the menu and the footer: 2 queries on every page.
        with django_assert_max_num_queries(17):
            assert client.get("/").status_code == 200
        with django_assert_max_num_queries(21):
            assert client.get(charter_page.url).status_code == 200
        # Fifty more commitments: the same number of queries.
        action = ActionPage.objects.descendant_of(charter_page).get(number=3)
        partner = Commitment.objects.filter(action=action).first().partner
        Commitment.objects.bulk_create(
            Commitment(action=action, partner=partner, position=100 + i, text=f"Ajout {i}")
            for i in range(50)
        )
        with django_assert_max_num_queries(21):
            assert client.get(charter_page.url).status_code == 200
