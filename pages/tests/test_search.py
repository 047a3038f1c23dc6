"""The site search /recherche/: published content only, grouped by kind, bounded queries."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from charter.models import ActionPage
from engagements.models import Commitment
from glossary.models import LexiconEntry
from pages.search import site_search

pytestmark = pytest.mark.django_db

URL = "/recherche/"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming: PostgreSQL full-text search only"
)


def _get(client, q):
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_url():
    assert reverse("pages:search") == URL


def test_empty_query_shows_the_form_only(client):
    html = _get(client, "")
    assert html.count("<h1") == 1
    assert '<label for="recherche">' in html and 'id="recherche"' in html
    assert 'role="status"' not in html and "Aucun résultat" not in html
    assert "Recherche" in html  # breadcrumb and title


def test_results_grouped_by_kind_with_counts_and_links(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(24):
        html = _get(client, "CCAPEX")
    assert html.count("<h1") == 1
    assert re.search(r'<div role="status">\s*<h2>\d+ résultats pour « CCAPEX »</h2>', html)
    for label in ("Fiches action", "Engagements des partenaires", "Lexique et sigles"):
        assert label in html
    assert '<a href="/lexique/#ccapex">CCAPEX</a>' in html
    assert re.search(r'href="/charte-synthetique/[^"]+/#engagement-\d+"', html)
    assert re.search(r'<span class="badge badge--[a-z_]+">', html)
    assert ' style="' not in html.split('id="contenu"')[1]
    # The header search box shows the query.
    assert 'value="CCAPEX"' in html


def test_query_count_does_not_depend_on_the_number_of_hits(
    client, caf, django_assert_max_num_queries
):
    # « CAF » hits more than 20 commitments (capped), « Exploc » a handful.
    action = ActionPage.objects.filter(code="1").first()
    for n in range(25):
        Commitment.objects.create(
            partner=caf, action=action, position=100 + n, text=f"La CAF relance le ménage n° {n}."
        )
    with django_assert_max_num_queries(24):
        html = _get(client, "CAF")
    assert "premiers résultats sont affichés" in html
    with django_assert_max_num_queries(24):
        _get(client, "Exploc")


def test_no_result_says_so_in_french(client):
    html = _get(client, "zzyzxqwerty")
    assert "Aucun résultat pour « zzyzxqwerty »" in html
    assert 'role="status"' in html


def test_the_query_is_escaped(client):
    html = _get(client, '<script>alert("x")</script>')
    assert "<script>alert" not in html
    # Double quotes are dropped (a phrase delimiter for SQLite's FTS5), the rest is escaped.
    assert "&lt;script&gt;alert(x)&lt;/script&gt;" in html


def test_only_published_content(client, charter_page):
    action = ActionPage.objects.live().descendant_of(charter_page).order_by("path").first()
    commitment = Commitment.objects.filter(action=action).first()
    commitment.text = "Un engagement avec le mot quokkarium."
    commitment.save()
    assert any(g.key == "commitments" for g in site_search("quokkarium"))
    action.unpublish()
    assert not site_search("quokkarium")
    assert "Aucun résultat" in _get(client, "quokkarium")


def test_an_unpublished_page_is_not_found(client, charter_page):
    action = ActionPage.objects.live().descendant_of(charter_page).order_by("path").first()
    action.title = "Titre brouillon ornithorynque"
    action.save_revision()  # a draft: the live page keeps its title
    assert not site_search("ornithorynque")


def test_lexicon_of_the_charter_in_force_links_to_the_lexicon_page(charter_page):
    groups = {g.key: g for g in site_search("Exploc")}
    hit = groups["lexicon"].hits[0]
    assert hit.title == "Exploc" and hit.url == "/lexique/#exploc"


def test_lexicon_of_another_edition_links_with_its_slug(plan):
    LexiconEntry.objects.create(charter=plan, term="ZPLANQ", definition="Plan départemental")
    hits = {g.key: g for g in site_search("ZPLANQ")}["lexicon"].hits
    assert [h.url for h in hits if h.title == "ZPLANQ"] == [
        "/lexique/?charte=plan-departemental#zplanq"
    ]


def test_partners_are_found(caf):
    groups = {g.key: g for g in site_search(caf.name)}
    assert caf.name in [h.title for h in groups["partners"].hits]


@on_postgresql
def test_french_stemming_on_postgresql():
    singular = {g.key: g.total for g in site_search("logement")}
    plural = {g.key: g.total for g in site_search("logements")}
    assert singular and plural == singular


def test_partners_without_published_content_are_not_listed():
    from charter.models import Partner

    Partner.objects.create(name="Association fantôme Zorglub", short_name="AFZ", slug="afz")
    assert not site_search("Zorglub")
