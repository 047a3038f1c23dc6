"""Issue #12, item 7: no CSV the platform writes lets a spreadsheet run a partner's text.

Every CSV endpoint gets a hostile text in a text field; the cell comes out with a leading
apostrophe (``core.spreadsheets.neutralise_formula``) while numbers stay numbers.
"""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from wagtail.log_actions import log

from core.spreadsheets import neutralise_formula
from glossary.models import LexiconEntry
from monitoring.models import IndicatorValue
from monitoring.tests.factories import IndicatorFactory
from opendata.schemas import table_schema
from opendata.selectors import published_commitments

HOSTILE = ['=HYPERLINK("http://x")', "@SUM(1)", "+1", "-1+2", "\tfoo", "\rfoo"]


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8")
    if text.startswith("\ufeff"):  # admin exports: CSV for a French Excel (BOM, « ; »)
        return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))
    return list(csv.reader(io.StringIO(text, newline="")))


def _indicator_value(text: str) -> IndicatorValue:
    return IndicatorValue.objects.create(
        indicator=IndicatorFactory(unit=text),
        year=2024,
        value=Decimal("-3"),
        narrative=text,
        source=text,
    )


def _published_commitment(text: str):
    commitment = published_commitments().order_by("pk").first()
    type(commitment).objects.filter(pk=commitment.pk).update(text=text)
    return commitment


def _opendata_engagements(text, client, **users):
    _published_commitment(text)
    return client, "/donnees/engagements.csv"


def _opendata_indicators(text, client, **users):
    _indicator_value(text)
    return client, "/donnees/indicateurs.csv"


def _opendata_lexicon(text, client, charter_page, **users):
    LexiconEntry.objects.filter(pk=charter_page.lexicon_entries.order_by("pk")[0].pk).update(
        definition=text
    )
    return client, "/donnees/lexique.csv"


def _opendata_partners(text, client, caf, **users):
    type(caf).objects.filter(pk=caf.pk).update(name=text)
    return client, "/donnees/partenaires.csv"


def _dashboard_partners(text, client, caf, committee_member, **users):
    type(caf).objects.filter(pk=caf.pk).update(name=text, short_name=text)
    client.force_login(committee_member)
    return client, reverse("monitoring:export", args=["partenaires"]) + "?export=csv"


def _dashboard_indicators(text, client, committee_member, **users):
    _indicator_value(text)
    client.force_login(committee_member)
    return client, reverse("monitoring:indicators_export") + "?export=csv"


def _commitments_listing(text, client, admin_user, **users):
    _published_commitment(text)
    client.force_login(admin_user)
    return client, reverse("wagtailsnippets_engagements_commitment:list") + "?export=csv"


def _site_history(text, client, caf, admin_user, **users):
    caf.name = caf.short_name = text
    log(instance=caf, action="wagtail.edit", user=admin_user)
    client.force_login(admin_user)
    return client, "/admin/reports/site-history/?export=csv"


ENDPOINTS = {
    "donnees-engagements": _opendata_engagements,
    "donnees-indicateurs": _opendata_indicators,
    "donnees-lexique": _opendata_lexicon,
    "donnees-partenaires": _opendata_partners,
    "suivi-export-partenaires": _dashboard_partners,
    "suivi-indicateurs-export": _dashboard_indicators,
    "admin-engagements-export": _commitments_listing,
    "admin-historique-du-site": _site_history,
}


@pytest.fixture
def users(caf, committee_member, admin_user, charter_page):
    return {
        "caf": caf,
        "committee_member": committee_member,
        "admin_user": admin_user,
        "charter_page": charter_page,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("text", HOSTILE, ids=repr)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_csv_neutralises_formulas(client, users, endpoint, text):
    client, url = ENDPOINTS[endpoint](text, client, **users)
    cells = [cell for row in _rows(client.get(url)) for cell in row]
    assert "'" + text in cells, (endpoint, text)
    assert text not in cells, (endpoint, text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "column"),
    [
        ("/donnees/indicateurs.csv", "valeur"),
        ("/admin/suivi/indicateurs/export/?export=csv", "Valeur"),
    ],
)
def test_negative_numbers_stay_numbers(client, committee_member, url, column):
    value = _indicator_value("-3 logements")
    client.force_login(committee_member)
    rows = _rows(client.get(url))
    header, body = rows[0], rows[1:]
    row = next(r for r in body if "'-3 logements" in r)
    # A decimal comma in the admin export (French Excel), a point in the open data.
    number = row[header.index(column)].replace(",", ".")
    assert Decimal(number) == value.value == Decimal("-3")


@pytest.mark.django_db
def test_opendata_numeric_columns_are_never_prefixed(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/donnees/engagements.csv").text)))
    numeric = [f["name"] for f in table_schema("engagements")["fields"] if f["type"] == "integer"]
    assert rows
    for row in rows:
        for name in numeric:
            assert not row[name].startswith("'"), (name, row[name])


@pytest.mark.django_db
def test_xlsx_exports_store_hostile_text_as_text(client, admin_user):
    # Wagtail 8 already turns formula-looking cells into strings in XLSX: kept as a guard.
    _published_commitment('=HYPERLINK("http://x")')
    client.force_login(admin_user)
    response = client.get(reverse("wagtailsnippets_engagements_commitment:list") + "?export=xlsx")
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert '=HYPERLINK("http://x")' in [cell.value for cell in cells]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("Texte", "Texte"),
        ("", ""),
        (-3, -3),
        (Decimal("-1.5"), Decimal("-1.5")),
        (None, None),
    ],
)
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected
