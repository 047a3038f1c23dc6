"""Issue 19: every text is rendered once (Markdown → nh3 → acronym links), never stale.

core.text.markdown_cache and glossary.linking.linked_cache are keyed by the content itself (the
text; the lexicon's version and the HTML): an edited text or lexicon is a new key.
"""

import pytest
from django.test import override_settings

from core.text import RenderCache, markdown_cache, markdown_to_html
from engagements.choices import CommitmentStatus
from engagements.models import Commitment
from engagements.services import commitment_update
from engagements.templatetags.commitment_tags import item_cache
from glossary.linking import Lexicon, link_terms, linked_cache
from glossary.models import LexiconEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_no_page_cache")]


@pytest.fixture
def _no_page_cache():
    with override_settings(PUBLIC_CACHE_SECONDS=0):
        yield


@pytest.fixture
def fresh_caches():
    for cache in (markdown_cache, linked_cache, item_cache):
        cache.clear()
    yield
    for cache in (markdown_cache, linked_cache, item_cache):
        cache.clear()


def _disabled():
    """The caches store nothing (every fragment rendered from scratch, as before issue 19)."""
    return override_attrs(
        (markdown_cache, "max_chars", 0),
        (linked_cache, "max_chars", 0),
        (item_cache, "max_chars", 0),
    )


class override_attrs:
    def __init__(self, *changes):
        self.changes = changes

    def __enter__(self):
        self.saved = [(obj, name, getattr(obj, name)) for obj, name, _value in self.changes]
        for obj, name, value in self.changes:
            setattr(obj, name, value)

    def __exit__(self, *exc):
        for obj, name, value in self.saved:
            setattr(obj, name, value)


def test_the_charter_pages_are_identical_with_and_without_the_caches(
    client, charter_page, plan, fresh_caches
):
    commitment = Commitment.objects.for_charter(charter_page).order_by("pk").first()
    urls = [
        "/",
        charter_page.url,
        charter_page.get_children().first().url,
        commitment.action.url,
        f"/partenaires/{commitment.partner.slug}/",
        "/lexique/",
    ]
    with _disabled():
        before = {url: client.get(url).content for url in urls}
    assert len(markdown_cache) == len(linked_cache) == len(item_cache) == 0
    first = {url: client.get(url).content for url in urls}  # fills the caches
    assert len(markdown_cache) > 20 and len(linked_cache) > 20 and len(item_cache) >= 20
    second = {url: client.get(url).content for url in urls}  # served from them
    for url in urls:
        assert first[url] == before[url], url
        assert second[url] == before[url], url
    assert (
        b'<abbr title="Caisse d&#x27;allocations familiales">CAF</abbr>' in before[charter_page.url]
        or b'<abbr title="Caisse d\'allocations familiales">CAF</abbr>' in before[charter_page.url]
    )


def test_a_second_render_converts_no_text(client, charter_page, fresh_caches, monkeypatch):
    client.get(charter_page.url)
    calls = []
    import core.text
    import glossary.linking

    real_markdown, real_link = core.text._render_markdown, glossary.linking._link
    monkeypatch.setattr(
        core.text, "_render_markdown", lambda t: calls.append(t) or real_markdown(t)
    )
    monkeypatch.setattr(
        glossary.linking, "_link", lambda h, lx: calls.append(h) or real_link(h, lx)
    )
    assert client.get(charter_page.url).status_code == 200
    assert calls == []


def test_a_commitment_saved_through_the_service_is_fresh_right_after(
    client, charter_page, superuser, fresh_caches
):
    commitment = (
        Commitment.objects.for_charter(charter_page)
        .filter(status=CommitmentStatus.IN_PROGRESS)
        .order_by("pk")
        .first()
    )
    page = commitment.action.url
    assert "Comité réuni avec la CAF" not in client.get(page).content.decode()
    commitment_update(
        commitment=commitment,
        user=superuser,
        status=CommitmentStatus.IN_PROGRESS,
        progress=50,
        narrative="Comité réuni avec la **CAF** en mars.",
        reason="Point d'étape",
        expected_version=None,
    )
    html = client.get(page).content.decode()
    assert "Comité réuni avec la" in html and "<strong>" in html
    html = client.get(charter_page.url).content.decode()
    assert "Comité réuni avec la" in html


def test_a_lexicon_edit_changes_the_links_right_after(client, charter_page, fresh_caches):
    url = charter_page.url
    html = client.get(url).content.decode()
    assert "Caisse d'allocations familiales" in html or "Caisse d&#x27;allocations" in html
    LexiconEntry.objects.filter(charter=charter_page, term="CAF").update(
        definition="Caisse nationale revue"
    )
    html = client.get(url).content.decode()
    assert 'title="Caisse nationale revue"' in html
    assert 'allocations familiales">CAF' not in html
    LexiconEntry.objects.filter(charter=charter_page, term="CAF").delete()
    html = client.get(url).content.decode()
    assert 'title="Caisse nationale revue"' not in html


def test_the_lexicon_version_follows_every_field_the_links_show():
    base = Lexicon.from_terms([("CAF", "Caisse"), ("ADIL", "Agence")])
    assert base.version == Lexicon.from_terms([("CAF", "Caisse"), ("ADIL", "Agence")]).version
    others = [
        Lexicon.from_terms([("CAF", "Caisse !"), ("ADIL", "Agence")]),
        Lexicon.from_terms([("CAF", "Caisse")]),
        Lexicon.from_terms([("CAF", "Caisse"), ("ADIL", "Agence")], url="/autre/"),
        Lexicon.from_terms([("CAF", "Caisse"), ("ADIL 75", "Agence")]),
    ]
    assert len({base.version, *(lexicon.version for lexicon in others)}) == 5
    html = "<p>La CAF et l’ADIL</p>"
    assert link_terms(html, base) != link_terms(html, others[0])
    assert 'title="Caisse !"' in link_terms(html, others[0])


def test_the_render_cache_is_bounded_and_keeps_the_recent_entries():
    cache = RenderCache(max_chars=30)
    for key in ("aaaa", "bbbb", "cccc"):
        assert cache.get_or_render(key, lambda k=key: k.upper()) == key.upper()
    assert len(cache) == 3  # 3 × 8 characters
    cache.get_or_render("aaaa", lambda: "not called")  # a hit: "aaaa" becomes the most recent
    cache.get_or_render("dddd", lambda: "DDDD")  # 32 characters: the oldest ("bbbb") goes
    assert cache.get_or_render("bbbb", lambda: "again") == "again"
    assert cache.get_or_render("aaaa", lambda: "not called") == "AAAA"
    assert cache.get_or_render("x" * 40, lambda: "too big") == "too big"  # never stored
    assert "x" * 40 not in cache._entries
    assert cache._chars <= 30


def test_markdown_to_html_is_unchanged_for_empty_and_hostile_text():
    assert markdown_to_html("") == ""
    assert markdown_to_html("<script>x</script>**a**") == markdown_to_html(
        "<script>x</script>**a**"
    )
    assert "<script" not in markdown_to_html("<script>x</script>**a**")
