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
    assert re.search(r'<label [^>]*for="recherche">', html) and 'id="recherche"' in html
    assert 'role="status"' not in html and "Aucun résultat" not in html
    assert "Recherche" in html  # breadcrumb and title


def test_results_grouped_by_kind_with_counts_and_links(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
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
    with django_assert_max_num_queries(30):
        html = _get(client, "CAF")
    assert "?q=CAF&amp;type=commitments" in html
    with django_assert_max_num_queries(30):
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


# Help for households and the contacts directory (issue 15).


def _first_hit_urls(html: str) -> list[str]:
    return re.findall(r'<li>\s*<a href="([^"#][^"]*)">', html.split('role="status"')[1])


def test_115_finds_the_stage_that_says_to_call_it_first_then_the_contact(client):
    from assistance.tests.factories import ContactFactory

    contact = ContactFactory(name="Urgence hébergement de test", phone="115")
    html = _get(client, "115")
    assert "Aucun résultat" not in html
    urls = _first_hit_urls(html)
    assert urls[0] == "/aide/lexpulsion/"
    assert f"/aide/#contact-{contact.pk}" in urls
    assert html.index('id="resultats-help"') < html.index('id="resultats-contacts"')


def test_commandement_de_payer_finds_its_stage_first(client):
    html = _get(client, "commandement de payer")
    urls = _first_hit_urls(html)
    assert urls[0] == "/aide/le-commandement-de-payer/"
    # The other stage that names a « commandement » comes after.
    assert urls.index("/aide/le-commandement-de-quitter-les-lieux/") > 0


def test_the_help_stages_are_found_without_accents_and_only_when_published(client):
    from assistance.models import HelpStagePage

    assert "/aide/le-premier-impaye-de-loyer/" in _first_hit_urls(_get(client, "impaye"))
    HelpStagePage.objects.get(slug="le-premier-impaye-de-loyer").unpublish()
    assert "/aide/le-premier-impaye-de-loyer/" not in _get(client, "impaye")


def test_each_result_names_its_source_document(client, charter_page, plan):
    html = _get(client, "CCAPEX")
    sources = set(re.findall(r'<p class="meta search-results__source">Source : ([^<]+)</p>', html))
    assert {charter_page.title, plan.title, "Aide aux ménages"} <= {
        s.replace("&#x27;", "'") for s in sources
    }
    hits = html.split('role="status"')[1].count("<li>\n      <a href=")
    assert hits == html.count("search-results__source")


def test_results_of_one_kind_are_paged_without_a_cap(client, caf, django_assert_max_num_queries):
    action = ActionPage.objects.filter(code="1").first()
    for n in range(25):  # more than one page of 20
        Commitment.objects.create(
            partner=caf, action=action, position=100 + n, text=f"La CAF relance le ménage n° {n}."
        )
    first = _get(client, "CAF")
    total = int(re.search(r'id="resultats-commitments">[^(]+\(\s*(\d+)\)', first).group(1))
    assert total > 20
    assert "?q=CAF&amp;type=commitments" in first
    seen = []
    for page in range(1, (total - 1) // 20 + 2):
        with django_assert_max_num_queries(30):
            html = _get_params(client, {"q": "CAF", "type": "commitments", "page": page})
        assert f"Résultats {(page - 1) * 20 + 1} à {min(page * 20, total)} sur {total}." in html
        seen += re.findall(r'href="(/[^"]+#engagement-\d+)"', html)
    assert len(seen) == len(set(seen)) == total
    # Past the last page: the last page, not an empty one.
    html = _get_params(client, {"q": "CAF", "type": "commitments", "page": 999})
    assert f"sur {total}." in html and 'aria-current="page"' in html


def _get_params(client, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "CAF", "type": "inconnu"}, "Valeur inconnue pour « type »"),
        ({"q": "CAF", "type": "commitments", "page": "deux"}, "« page » doit être un nombre"),
        ({"q": "CAF", "type": "commitments", "page": "0"}, "« page » doit être un nombre"),
    ],
)
def test_bad_paging_parameters_get_a_french_400(client, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_search_form_is_styled_in_both_themes(client, settings):
    for theme in ("dsfr", "neutral"):
        settings.SITE_THEME = theme
        html = _get(client, "")
        form = html.split('class="search-page"')[1].split("</form>")[0]
        assert 'class="search-form search-page__bar fr-search-bar fr-search-bar--lg"' in form
        assert '<input class="fr-input" type="search" id="recherche"' in form
        assert '<button class="fr-btn" type="submit">' in form


def test_the_help_stages_are_found_in_the_singular_and_the_plural():
    def help_urls(query):
        groups = {group.key: group for group in site_search(query)}
        return [hit.url for hit in groups["help"].hits]

    singular = help_urls("dette")
    assert "/aide/le-commandement-de-payer/" in singular
    assert help_urls("dettes") == singular
