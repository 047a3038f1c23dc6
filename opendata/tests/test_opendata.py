"""Open-data files, their Table Schemas (frictionless) and the read-only JSON API."""

import csv
import io
import json

import pytest
from frictionless import Resource, Schema, validate

from charter.models import ActionPage
from engagements.models import Commitment

pytestmark = pytest.mark.django_db
DATASETS = ["engagements", "partenaires", "lexique", "indicateurs"]


@pytest.mark.parametrize("name", DATASETS)
def test_csv_validates_against_its_table_schema(client, name, tmp_path):
    response = client.get(f"/donnees/{name}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    schema = client.get(f"/donnees/schema-{name}.json").json()
    (tmp_path / f"{name}.csv").write_bytes(response.content)
    resource = Resource(
        path=f"{name}.csv", basepath=str(tmp_path), schema=Schema.from_descriptor(schema)
    )
    report = validate(resource)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    assert "etalab-2.0" in json.dumps(schema)


def test_commitments_csv_has_published_rows_only_and_no_personal_data(client, charter_page):
    rows = list(
        csv.DictReader(io.StringIO(client.get("/donnees/engagements.csv").content.decode()))
    )
    assert len(rows) == Commitment.objects.filter(action__live=True).count()
    assert {"owner", "responsable", "narrative", "point_d_avancement"}.isdisjoint(rows[0])
    first = Commitment.objects.get(pk=rows[0]["id"])
    assert rows[0]["code"] == (
        f"{charter_page.slug}/{first.action.code}/{first.partner.slug}/{first.position}"
    )
    # Unpublishing an action removes its commitments from the file.
    action = ActionPage.objects.descendant_of(charter_page).get(code="3")
    action.unpublish()
    rows_after = list(
        csv.DictReader(io.StringIO(client.get("/donnees/engagements.csv").content.decode()))
    )
    assert len(rows_after) == len(rows) - action.commitments.count()
    assert "secretariat@example.org" not in client.get("/donnees/engagements.json").content.decode()


def test_json_and_index_page(client, django_assert_max_num_queries):
    payload = client.get("/donnees/engagements.json").json()
    assert payload["licence"].startswith("Licence Ouverte") and len(payload["engagements"]) == 20
    with django_assert_max_num_queries(30):
        response = client.get("/donnees/")
    content = response.content.decode()
    assert "Licence Ouverte / Open Licence version 2.0" in content
    assert "engagements.csv (CSV – " in content and " ko)" in content


def test_csv_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/donnees/engagements.csv")
    with django_assert_max_num_queries(8):
        client.get("/donnees/indicateurs.csv")


def test_api_pagination(client):
    page = client.get("/api/v2/engagements/?limit=5&offset=10").json()
    assert page["meta"]["limit"] == 5 and page["meta"]["offset"] == 10
    assert len(page["items"]) == 5 and page["meta"]["total_count"] == 20
    assert "offset=15" in page["meta"]["next"] and "offset=5" in page["meta"]["previous"]
    too_many = client.get("/api/v2/engagements/?limit=1000")
    assert too_many.status_code == 400 and "entre 1 et 100" in too_many.json()["message"]


def test_api_filters(client, charter_page):
    caf = client.get("/api/v2/engagements/?partenaire=caf&limit=100").json()
    assert caf["meta"]["total_count"] == 6  # tests/synthetic.py
    assert {item["partenaire"] for item in caf["items"]} == {"caf"}
    action = client.get("/api/v2/engagements/?action=3&charte=charte-synthetique").json()
    assert action["meta"]["total_count"] == 3  # CAF, Préfecture, UPT
    one = Commitment.objects.filter(partner__slug="caf").order_by("pk").first()
    one.status = "blocked"
    one.save()
    blocked = client.get("/api/v2/engagements/?statut=blocked").json()
    # with the two blocked commitments of tests/synthetic.py (CAF, Préfecture)
    blocked_ids = [item["id"] for item in blocked["items"]]
    assert one.pk in blocked_ids and len(blocked_ids) == 3
    assert client.get("/api/v2/engagements/?statut=fini").status_code == 400
    assert client.get("/api/v2/engagements/?owner=1").status_code == 400
    actions = client.get("/api/v2/actions/?charte=charte-synthetique&orientation=1").json()
    assert [item["code"] for item in actions["items"]] == ["1", "2"]
    lexicon = client.get("/api/v2/lexique/?charte=charte-synthetique&sigle=CAF").json()
    assert "CAF" in [item["sigle"] for item in lexicon["items"]]
    assert client.get("/api/v2/partenaires/caf/").json()["sigle"] == "CAF"
    charters = client.get("/api/v2/chartes/").json()["items"]
    assert "charte-synthetique" in [c["identifiant"] for c in charters]


def test_api_hides_unpublished_content(client, charter_page):
    charter_page.live = False
    charter_page.save(update_fields=["live"])
    assert client.get("/api/v2/engagements/?charte=charte-synthetique").status_code == 400
    assert client.get("/api/v2/chartes/charte-synthetique/").status_code == 404
    assert client.post("/api/v2/engagements/").status_code == 405
    rows = client.get("/donnees/engagements.csv").content.decode().strip().splitlines()
    assert not any(",charte-synthetique," in row for row in rows[1:])
