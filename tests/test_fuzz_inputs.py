"""Property-based tests (hypothesis): arbitrary input never yields unsafe HTML, a crash or a 500.

- the Markdown/nh3 sanitiser lets no <script>, no on* attribute and no javascript: URL through;
- the import readers turn arbitrary bytes into a preview or French errors, never an exception;
- the public URLs' parameters (/donnees/, /api/v2/, /versions/, /recherche/) never give a 500;
- a NUL byte in any API filter is a 400, the dashboards' filters a 200 or a French 400 (#12).
Example counts are modest so that the file runs in well under a minute.
"""

import html.parser
import re
import urllib.parse

import pytest
from django.conf import settings as djsettings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.parsing import parse_document
from core.text import markdown_to_html
from imports.parsing.convert import DocumentError, document_text
from imports.reading import read_table
from imports.services import import_file

SQLITE = djsettings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Fragments that attackers (and copy-pasted Word documents) put in text fields.
HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/a.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">clic</a>',
    "<a href='JaVaScRiPt:alert(1)'>x</a>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "[lien](javascript:alert(1))",
    "[lien](  javascript:alert(1) )",
    "![image](javascript:alert(1))",
    "<svg onload=alert(1)>",
    '<div style="x" onclick="alert(1)">d</div>',
    "<iframe src=javascript:alert(1)>",
    '<p onmouseover="alert(1)">p</p>',
    "<<script>script>alert(1)<</script>/script>",
    '<a href="data:text/html,<script>alert(1)</script>">d</a>',
    "<style>*{}</style>",
    "| a | b |\n|---|---|\n| <script>x</script> | [y](javascript:z) |",
    "- liste\n  - <b onclick=x>sous-liste</b>",
    "`<script>`",
    "```\n<script>alert(1)</script>\n```",
]
markdown_text = st.lists(
    st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE), st.sampled_from(["\n", "\n\n"])),
    max_size=12,
).map("".join)


class _Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag


def _scheme(url: str) -> str:
    # What a browser would see: control characters and spaces removed, case folded.
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    return cleaned.split(":", 1)[0] if ":" in cleaned else ""


@FUZZ
@given(text=markdown_text)
def test_markdown_to_html_never_lets_scripts_through(text):
    output = markdown_to_html(text)
    parsed = _Collector()
    parsed.feed(output)
    parsed.close()
    assert not {"script", "iframe", "svg", "style", "img"} & set(parsed.tags)
    for name, value in parsed.attributes:
        assert not name.lower().startswith("on"), (name, output)
        if name.lower() in {"href", "src", "action", "formaction", "xlink:href"}:
            assert _scheme(value) in {"", "http", "https", "mailto"}, (value, output)
    assert "<script" not in output.lower()


def _french(messages: list[str]) -> None:
    assert messages
    for message in messages:
        assert isinstance(message, str) and message.strip()
        assert "Traceback" not in message


csv_cell = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20)
csv_text = st.one_of(
    st.lists(
        st.lists(csv_cell, min_size=1, max_size=6).map(",".join),
        max_size=8,
    ).map("\n".join),
    st.text(max_size=300),
)
HEADERS = "charte,partenaire,action,rang,engagement,statut,avancement,echeance\n"


@FUZZ
@given(
    data=st.binary(max_size=400),
    name=st.sampled_from(["f.csv", "f.xlsx", "f.json", "f"]),
)
def test_read_table_gives_a_table_or_a_french_error(data, name):
    try:
        table = read_table(filename=name, data=data)
    except ValidationError as error:
        _french(error.messages)
    else:
        assert table.file_format in {"csv", "xlsx", "json"}


@FUZZ
@given(text=csv_text, with_headers=st.booleans(), separator=st.sampled_from([",", ";"]))
def test_read_table_on_arbitrary_csv_text(text, with_headers, separator):
    body = (HEADERS if with_headers else "") + text
    try:
        read_table(filename="f.csv", data=body.replace(",", separator).encode())
    except ValidationError as error:
        _french(error.messages)


@pytest.mark.django_db
@FUZZ
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["charte-synthetique", "", "inconnue", "plan-departemental"]),
            st.one_of(st.sampled_from(["CAF", "caf-de-paris", "UNPI", ""]), csv_cell),
            st.one_of(st.sampled_from(["1", "action 7", "24", "3-1", "99", ""]), csv_cell),
            st.one_of(st.integers(-3, 400).map(str), csv_cell),
            csv_cell,
            st.one_of(
                st.sampled_from(["not_started", "Réalisé", "en retard", "in_progress"]), csv_cell
            ),
            st.one_of(st.integers(-50, 150).map(str), csv_cell),
            st.one_of(st.dates().map(str), st.sampled_from(["31/12/2024", "2024-02-30"]), csv_cell),
        ),
        min_size=1,
        max_size=6,
    ),
    kind=st.sampled_from(["commitments", "partners", "lexicon", "indicator_values"]),
)
def test_import_dry_run_reports_instead_of_crashing(rows, kind):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*HEADERS.strip().split(","), "nom", "sigle", "definition", "annee"])
    for row in rows:
        writer.writerow([*row, row[1], row[1], row[4], row[6]])
    report = import_file(
        kind=kind, filename="fuzz.csv", data=out.getvalue().encode(), user=None, dry_run=True
    )
    assert report.dry_run and not report.written
    if report.errors:
        _french(report.errors)
    else:
        assert report.rows


@FUZZ
@given(text=st.text(max_size=600))
def test_charter_document_reader_never_crashes(text):
    try:
        parsed = parse_document(document_text(filename="charte.md", data=text.encode()))
    except DocumentError as error:
        _french([str(error)])
    else:
        assert parsed is not None


@FUZZ
@given(data=st.binary(max_size=300).filter(lambda b: not b.startswith(b"PK\x03\x04")))
def test_charter_document_reader_on_bytes(data):
    try:
        document_text(filename="charte.txt", data=data)
    except DocumentError as error:
        _french([str(error)])


# ----------------------------------------------------------------------------- public URLs


segment = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["charte-synthetique", "plan-departemental", "0", "-1", "9223372036854775807", "%00"]
    ),
).map(lambda s: urllib.parse.quote(s, safe=""))
query_value = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "0", "-1", "abc", "9" * 30, "1e9", "null", "[]", "../", "' OR 1=1 --"]),
)
query = st.dictionaries(
    st.one_of(
        st.sampled_from(
            [
                "limit",
                "offset",
                "charte",
                "partenaire",
                "action",
                "statut",
                "en_retard",
                "type",
                "orientation",
                "categorie",
                "sigle",
                "a",
                "de",
                "q",
                "page",
                "format",
            ]
        ),
        st.text(max_size=10),
    ),
    query_value,
    max_size=4,
)
API_KINDS = ["chartes", "orientations", "actions", "engagements", "partenaires", "lexique"]


def _search_url() -> str | None:
    for name in ("search", "pages:search", "search:search"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    try:
        resolve("/recherche/")
    except Resolver404:
        return None
    return "/recherche/"


def _check(client, path: str, params: dict) -> None:
    response = client.get(path, params)
    assert response.status_code < 500, (path, params, response.status_code)


@pytest.mark.django_db
@FUZZ
@given(name=segment, params=query)
def test_opendata_urls_never_500(client, name, params):
    _check(client, f"/donnees/{name}", params)
    _check(client, "/donnees/", params)
    _check(client, "/donnees/engagements.csv", params)
    _check(client, "/donnees/engagements.json", params)


@pytest.mark.django_db
@FUZZ
@given(kind=st.sampled_from(API_KINDS), key=segment, params=query)
def test_api_urls_never_500(client, kind, key, params):
    _check(client, f"/api/v2/{kind}/", params)
    _check(client, f"/api/v2/{kind}/{key}/", params)
    _check(client, f"/api/v2/{key}/", params)


@pytest.mark.django_db
@FUZZ
@given(slug=segment, number=st.integers(-5, 10**12), params=query)
def test_versions_urls_never_500(client, slug, number, params):
    _check(client, f"/versions/{slug}/", params)
    _check(client, "/versions/charte-synthetique/", params)
    _check(client, "/versions/charte-synthetique/changements/", params)
    _check(client, f"/versions/charte-synthetique/{abs(number)}/", params)
    _check(client, f"/versions/{slug}/changements/", params)


@pytest.mark.django_db
@FUZZ
@given(text=query_value, params=query)
def test_search_and_pages_never_500(client, text, params):
    url = _search_url()
    if url is not None:
        _check(client, url, {"q": text})
        _check(client, url, {**params, "q": text})
    _check(client, "/charte-synthetique/", params)
    _check(client, "/", params)


@pytest.mark.django_db
@FUZZ
@given(kind=st.sampled_from(API_KINDS), data=st.data(), before=st.text(max_size=10))
def test_api_nul_byte_in_any_parameter_is_a_400(client, kind, data, before):
    from opendata.api import FILTERS

    name = data.draw(st.sampled_from([*FILTERS[kind], "limit", "offset"]))
    with transaction.atomic():
        response = client.get(f"/api/v2/{kind}/", {name: before + "\x00"})
    assert response.status_code == 400, (kind, name, before)
    assert response.json()["message"]


dashboard_query = st.dictionaries(
    st.sampled_from(
        ["charter", "orientation", "partner", "status", "due_from", "due_to", "as_of", "export"]
    ),
    st.one_of(query_value, st.sampled_from(["1", "2017-01-01", "achieved", "csv", "xlsx"])),
    max_size=4,
)


@pytest.mark.django_db
@FUZZ
@given(params=dashboard_query)
def test_dashboard_filters_never_500(client, committee_member, params):
    client.force_login(committee_member)
    for url in (
        "/admin/suivi/",
        "/admin/suivi/export/actions/",
        "/admin/suivi/indicateurs/export/",
    ):
        with transaction.atomic():
            response = client.get(url, params)
        assert response.status_code in (200, 400), (url, params, response.status_code)


# ----------------------------------------------------------------------------- regressions
# Inputs the properties above once found to crash a page or a reader, kept as plain examples.


def test_regression_csv_lone_carriage_return():
    # Old "CSV (Macintosh)" exports end their lines with a bare carriage return.
    table = read_table(filename="f.csv", data=b"partenaire,action\rCAF,1\r")
    assert table.dataset.dict == [{"partenaire": "CAF", "action": "1"}]


def test_regression_unreadable_csv_is_a_french_error():
    with pytest.raises(ValidationError) as caught:
        read_table(filename="f.csv", data=b'partenaire,action\n"CAF\x00,1\n')
    _french(caught.value.messages)


@pytest.mark.django_db
def test_regression_api_detail_huge_id(client):
    _check(client, "/api/v2/orientations/99999999999999999999/", {})


@pytest.mark.django_db
def test_regression_api_detail_non_ascii_digit(client):
    _check(client, "/api/v2/orientations/%C2%B2/", {})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "shown"),
    [('loyer "impayé', "loyer impayé"), ('"', ""), ("loyer\timpayé\r\n", "loyer impayé")],
)
def test_regression_search_quote_and_whitespace(client, query, shown):
    response = client.get(reverse("pages:search"), {"q": query})
    assert response.status_code == 200
    assert response.context["search_query"] == shown


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["loyer\x00", "\x00"])
def test_regression_search_nul_is_a_french_400(client, query):
    # Issue #12 item 13: a NUL byte is refused (400 page in French), no longer silently dropped.
    response = client.get(reverse("pages:search"), {"q": query})
    assert response.status_code == 400
    assert "caractères de contrôle" in response.content.decode()
