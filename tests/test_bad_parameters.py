"""Issue #12, item 13: a malformed query parameter is a 400 (or a French form error), never a 500
nor silently ignored.

Every parameter of the API, the public pages and the committee's dashboards gets a NUL byte, a
huge integer, a negative number, an unknown choice and a non-numeric id. Run on SQLite and on
PostgreSQL (DATABASE_URL=postgres://…), where NUL bytes and out-of-range integers fail
differently.
"""

import pytest
from django.db import transaction
from django.urls import reverse

NUL = "a\x00b"
HUGE = "99999999999999999999"
NEGATIVE = "-1"
UNKNOWN = "inconnu"
NON_NUMERIC = "²"
HOSTILE = {
    "nul": NUL,
    "huge": HUGE,
    "negative": NEGATIVE,
    "unknown": UNKNOWN,
    "non-numeric": NON_NUMERIC,
}

API_FILTERS = {
    "chartes": ["type", "limit", "offset"],
    "orientations": ["charte", "limit", "offset"],
    "actions": ["charte", "orientation", "limit", "offset"],
    "engagements": ["charte", "partenaire", "action", "statut", "en_retard", "limit", "offset"],
    "partenaires": ["categorie", "charte", "limit", "offset"],
    "lexique": ["charte", "limit", "offset"],
}
API_CASES = [
    (kind, name, label)
    for kind, names in API_FILTERS.items()
    for name in names
    for label in HOSTILE
]


def _get(client, url, params):
    # A savepoint per request: on PostgreSQL a failed query must not poison the next one.
    with transaction.atomic():
        return client.get(url, params)


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "name", "label"), API_CASES)
def test_api_filter_is_a_french_json_400(client, kind, name, label):
    response = _get(client, f"/api/v2/{kind}/", {name: HOSTILE[label]})
    assert response.status_code == 400, (kind, name, label, response.status_code)
    assert response["Content-Type"].startswith("application/json")
    message = response.json()["message"]
    assert name in message.casefold(), message


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["lexique", "engagements"])
def test_api_free_text_and_repeated_parameters(client, kind):
    name = "sigle" if kind == "lexique" else "statut"
    assert _get(client, f"/api/v2/{kind}/", {name: NUL}).status_code == 400
    repeated = _get(client, f"/api/v2/{kind}/?{name}=a&{name}=b", {})
    assert repeated.status_code == 400
    assert "plusieurs fois" in repeated.json()["message"]


@pytest.mark.django_db
def test_api_offset_past_the_end_is_an_empty_page(client):
    page = _get(client, "/api/v2/engagements/", {"offset": "2000000000"}).json()
    assert page["items"] == [] and page["meta"]["total_count"] > 0


@pytest.mark.django_db
@pytest.mark.parametrize("label", HOSTILE)
@pytest.mark.parametrize("name", ["a", "de"])
def test_version_changes_parameters_are_a_french_400(client, public_version, name, label):
    response = _get(client, "/versions/charte-synthetique/changements/", {name: HOSTILE[label]})
    assert response.status_code == 400, (name, label)
    assert "Requête incorrecte" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "name"), [("/recherche/", "q"), ("/lexique/", "charte")], ids=["search", "lexicon"]
)
def test_public_text_parameters_refuse_nul_bytes(client, url, name):
    response = _get(client, url, {name: NUL})
    assert response.status_code == 400
    assert "caractères de contrôle" in response.content.decode()


DASHBOARD_FILTERS = ["charter", "orientation", "partner", "status", "due_from", "as_of"]


@pytest.mark.django_db
@pytest.mark.parametrize("label", HOSTILE)
@pytest.mark.parametrize("name", DASHBOARD_FILTERS)
def test_dashboard_filter_is_a_french_form_error(client, committee_member, name, label):
    client.force_login(committee_member)
    response = _get(client, reverse("monitoring:dashboard"), {name: HOSTILE[label]})
    assert response.status_code == 400, (name, label, response.status_code)
    assert response.context["form"].errors[name]
    content = response.content.decode()
    assert "Corrigez les filtres signalés ci-dessus" in content
    assert "error-message" in content


@pytest.mark.django_db
@pytest.mark.parametrize("label", HOSTILE)
@pytest.mark.parametrize("name", DASHBOARD_FILTERS)
def test_dashboard_export_with_a_bad_filter_is_refused(client, committee_member, name, label):
    client.force_login(committee_member)
    url = reverse("monitoring:export", args=["partenaires"])
    response = _get(client, url, {name: HOSTILE[label], "export": "csv"})
    assert response.status_code == 400, (name, label, response.status_code)
    assert response.content.decode().startswith("Export impossible : ")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("monitoring:export", args=["partenaires"]),
        reverse("monitoring:indicators_export"),
    ],
)
def test_unknown_export_format_is_refused(client, committee_member, url):
    client.force_login(committee_member)
    response = _get(client, url, {"export": "pdf"})
    assert response.status_code == 400
    assert "csv" in response.content.decode() and "Export impossible" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("label", HOSTILE)
def test_indicator_entry_prefill_is_checked(client, secretary, label):
    client.force_login(secretary)
    response = _get(client, reverse("monitoring:indicator_values"), {"indicateur": HOSTILE[label]})
    assert response.status_code == 400, (label, response.status_code)
    assert [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
@pytest.mark.parametrize("label", HOSTILE)
@pytest.mark.parametrize("name", ["a", "de"])
def test_admin_version_compare_is_a_french_error(client, admin_user, public_version, name, label):
    client.force_login(admin_user)
    response = _get(client, reverse("charter_versions:compare"), {name: HOSTILE[label]})
    assert response.status_code == 400, (name, label, response.status_code)
    messages = [str(m) for m in response.context["messages"]]
    assert messages and (f"« {name} »" in messages[0] or "version" in messages[0])


@pytest.mark.django_db
@pytest.mark.parametrize("label", HOSTILE)
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/admin/actions/", "charter"),
        ("/admin/actions/", "orientation"),
        ("/admin/charter_versions/", "charter"),
        ("/admin/signatures/", "charter"),
        ("/admin/signatures/", "status"),
        ("/admin/snippets/engagements/commitment/", "partner"),
        ("/admin/snippets/engagements/commitment/", "orientation"),
        ("/admin/snippets/engagements/commitment/", "action"),
    ],
)
def test_admin_listing_filters_never_500(client, admin_user, url, name, label):
    client.force_login(admin_user)
    response = _get(client, url, {name: HOSTILE[label]})
    assert response.status_code == 200, (url, name, label, response.status_code)
    assert response.context["filters"].errors.get(name)


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["huge", "negative", "non-numeric", "nul"])
def test_signature_prefill_is_checked(client, admin_user, label):
    client.force_login(admin_user)
    response = _get(client, "/admin/signatures/new/", {"charter": HOSTILE[label]})
    assert response.status_code == 200
    assert "n'a pas été prérempli" in " ".join(str(m) for m in response.context["messages"])
