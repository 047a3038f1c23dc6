"""The acronym linker: unit tests and properties (hypothesis)."""

import re
from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.text import markdown_to_html, sanitize_html
from glossary.linking import Lexicon, link_terms, make_anchors
from glossary.templatetags.glossary_tags import abbreviations

LEXICON = Lexicon.from_terms(
    [
        ("ADIL", "Agence départementale d'information sur le logement"),
        ("ADIL 75", "Agence départementale d'information sur le logement de Paris"),
        ("CAF", 'Caisse d\'allocations familiales <script>alert("x")</script> & co'),
        ("CCAPEX", "Commission de coordination des actions de prévention des expulsions"),
        ("Exploc", "Logiciel de suivi des procédures d'expulsion"),
        ("FSL", "Fonds de solidarité pour le logement"),
        ("prêt d'honneur", "Un prêt sans intérêt"),
    ]
)


def visible_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]*>", "", html))


def test_first_occurrence_only_and_longest_match():
    html = markdown_to_html("La CCAPEX saisit la CAF. La CAF répond. L'ADIL 75 et l'ADIL.")
    out = link_terms(html, LEXICON)
    assert out.count('href="/lexique/#caf"') == 1
    assert '<abbr title="Commission de coordination' in out
    assert '<a href="/lexique/#adil-75" rel="noopener noreferrer"><abbr' in out
    assert ">ADIL 75</abbr></a>" in out
    assert 'l\'<a href="/lexique/#adil"' in out  # the apostrophe is a boundary


def test_letters_and_digits_with_or_without_a_space():
    lexicon = Lexicon.from_terms([("ADIL75", "Agence de Paris"), ("CAF 75", "Caisse de Paris")])
    out = link_terms("<p>L'ADIL 75 et la CAF75, puis l'ADIL750.</p>", lexicon)
    assert ">ADIL 75</abbr></a>" in out and ">CAF75</abbr></a>" in out
    assert "ADIL750" in out and out.count("<abbr") == 2


def test_definition_is_escaped_in_the_title():
    out = link_terms("<p>La CAF</p>", LEXICON)
    assert "<script>" not in out
    assert "title=\"Caisse d'allocations familiales &lt;script&gt;alert(&quot;x&quot;)" in out


def test_case_rules_and_whole_words():
    out = link_terms("<p>caf, CAFE, FSLé, EXPLOC et prêt d’honneur</p>", LEXICON)
    assert "#caf" not in out  # acronyms are case-sensitive, whole words only
    assert "#fsl" not in out  # « é » is a letter: no word boundary
    assert '<abbr title="Logiciel de suivi des procédures d\'expulsion">EXPLOC</abbr>' in out
    assert '<abbr title="Un prêt sans intérêt">prêt d’honneur</abbr>' in out


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="https://example.org" rel="noopener noreferrer">la CAF</a></p>',
        '<p><abbr title="x">CAF</abbr></p>',
        "<h2>La CAF</h2>",
        "<h1>La CAF</h1>",
        "<p><code>CAF</code></p>",
        "<pre><code>CAF</code></pre>",
        "<h3>La <em>CAF</em></h3>",
    ],
)
def test_never_inside_links_abbr_headings_code(html):
    assert link_terms(html, LEXICON) == html


def test_skip_then_link_after_the_skipped_element():
    out = link_terms("<h2>CAF</h2><p>La CAF</p>", LEXICON)
    assert out == (
        '<h2>CAF</h2><p>La <a href="/lexique/#caf" rel="noopener noreferrer">'
        f'<abbr title="{LEXICON.entries[2].definition.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(chr(34), "&quot;")}">'  # noqa: E501
        "CAF</abbr></a></p>"
    )


def test_unchanged_without_lexicon():
    html = "<p>La CAF &amp; l'ADIL</p>"
    assert link_terms(html, None) == html
    assert link_terms(html, Lexicon()) == html
    assert abbreviations(html, None) == html
    assert abbreviations(html, Lexicon()) == html


def test_filter_escapes_a_plain_string_and_returns_safe_html():
    from django.utils.safestring import SafeData, mark_safe

    out = abbreviations("<b>CAF</b>", LEXICON)
    assert isinstance(out, SafeData)
    assert out.startswith("&lt;b&gt;<a href")
    assert isinstance(abbreviations(mark_safe("<p>FSL</p>"), LEXICON), SafeData)


def test_anchors_are_unique_slugs():
    assert make_anchors(["ADIL 75", "Prêt d'honneur", "C.A.F.", "CAF", "€"]) == [
        "adil-75",
        "pret-d-honneur",
        "c-a-f",
        "caf",
        "terme",
    ]
    assert make_anchors(["a b", "a-b", "A  B"]) == ["a-b", "a-b-2", "a-b-3"]
    assert make_anchors(["Contenu", "Lettre A"]) == ["terme-contenu", "terme-lettre-a"]


# Markdown-ish text made of lexicon terms, words, markup characters and apostrophes.
TOKENS = st.sampled_from(
    [
        "CAF", "CCAPEX", "ADIL", "ADIL 75", "Exploc", "exploc", "FSL", "prêt d'honneur", "l'",
        "’", " ", "\n\n", "\n- ", "## ", "`", "**", "[", "](https://example.org)", "<a>", "</a>",
        "<abbr>", "</abbr>", "<script>", "&", "&amp;", "<", ">", '"', "é", "\u00a0", "CAFE",
    ]
)  # fmt: skip
TEXTS = st.lists(st.one_of(TOKENS, st.text(max_size=5)), max_size=30).map("".join)


def _inside_links(html: str) -> list[str]:
    return re.findall(r"<a [^>]*>(.*?)</a>", html, flags=re.S)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_properties_of_the_linker(text):
    html = markdown_to_html(text)
    out = link_terms(html, LEXICON)
    # No injection: sanitising the output again changes nothing.
    assert sanitize_html(out) == out
    # The visible text is unchanged.
    assert visible_text(out) == visible_text(html)
    # Never a link inside a link, never an abbr inside an abbr.
    for inner in _inside_links(out):
        assert "<a " not in inner
    assert out.count("<a ") == html.count("<a ") + out.count('href="/lexique/#')
    # At most one link per term in a section.
    for entry in LEXICON:
        assert out.count(f'href="/lexique/#{entry.anchor}"') <= 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_is_sanitised_and_unchanged_as_text(text):
    html = sanitize_html(text)
    out = link_terms(html, LEXICON)
    assert sanitize_html(out) == out
    assert visible_text(out) == visible_text(html)
