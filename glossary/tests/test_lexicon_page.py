"""The lexicon selector and the public lexicon page /lexique/."""

import re

import pytest
from django.urls import reverse

from glossary.linking import Lexicon
from glossary.models import LexiconEntry
from glossary.selectors import lexicon_for_charter

pytestmark = pytest.mark.django_db


def test_lexicon_for_charter_is_one_query(charter_page, django_assert_num_queries):
    with django_assert_num_queries(1):
        lexicon = lexicon_for_charter(charter_id=charter_page.pk)
    assert len(lexicon) == 7  # tests/synthetic.py LEXICON
    assert lexicon == lexicon_for_charter(charter=charter_page)
    terms = {entry.term: entry for entry in lexicon}
    assert terms["CAF"].is_acronym and terms["CAF"].anchor == "caf"
    assert lexicon.href(terms["CAF"]) == "/lexique/#caf"
    assert len({entry.anchor for entry in lexicon}) == 7


def test_lexicon_for_no_charter_is_empty(django_assert_num_queries, plan):
    with django_assert_num_queries(0):
        assert lexicon_for_charter() == Lexicon()
    assert not lexicon_for_charter(charter_id=plan.pk + 10_000)


def test_filter_in_a_template(charter_page):
    from django.template import Context, Template

    template = Template(
        "{% load text_tags glossary_tags %}{{ text|markdown|abbreviations:lexicon }}"
    )
    lexicon = lexicon_for_charter(charter=charter_page)
    out = template.render(
        Context({"text": "La CAF et la **CAF** <script>x</script>", "lexicon": lexicon})
    )
    assert out.count('<a href="/lexique/#caf" rel="noopener noreferrer"><abbr title="') == 1
    assert "<script>" not in out
    assert template.render(Context({"text": "La CAF", "lexicon": None})) == "<p>La CAF</p>"


def test_lexicon_page(client, charter_page, django_assert_max_num_queries):
    url = reverse("glossary:lexicon")
    assert url == "/lexique/"
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Lexique et sigles" in html
    assert html.count("<dt id=") == 7
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert '<dt id="caf">CAF</dt>' in html
    # The A–Z index: letters with entries are linked to their group, the others are not.
    letters = set(re.findall(r'<a href="#lettre-([a-z]+)">', html))
    groups = set(re.findall(r'<h2 id="lettre-([a-z]+)">', html))
    assert letters == groups and "c" in letters
    first_letters = {e.term[0].lower() for e in LexiconEntry.objects.filter(charter=charter_page)}
    for letter in "abcdefghijklmnopqrstuvwxyz":
        assert (letter in letters) == (letter in first_letters)
    assert '<span class="muted">' in html  # at least one letter without entry


def test_lexicon_page_of_another_charter_by_slug(client, plan):
    LexiconEntry.objects.create(
        charter=plan, term="PDALHPD", definition="Plan <b>départemental</b>"
    )
    response = client.get(reverse("glossary:lexicon"), {"charte": plan.slug})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<dt id="pdalhpd">PDALHPD</dt>' in html and "<b>" not in html
    assert client.get(reverse("glossary:lexicon"), {"charte": "inconnue"}).status_code == 404


def test_lexicon_page_without_entries(client, charter_page):
    LexiconEntry.objects.filter(charter=charter_page).delete()
    response = client.get(reverse("glossary:lexicon"))
    assert response.status_code == 200
    assert "pas encore publié" in response.content.decode()
