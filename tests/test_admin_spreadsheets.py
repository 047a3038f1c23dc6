"""Admin exports open cleanly in a French Excel: BOM, « ; », Paris time, named XLSX sheets."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.spreadsheets import csv_cell, sheet_title
from engagements.models import Commitment

LIST = "wagtailsnippets_engagements_commitment:list"
# 14:30 UTC on 3 July is 16:30 in Paris (summer time); 14:30 UTC on 3 January is 15:30.
SUMMER = datetime.datetime(2026, 7, 3, 14, 30, tzinfo=datetime.UTC)
WINTER = datetime.datetime(2026, 1, 3, 14, 30, tzinfo=datetime.UTC)


def _content(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def dated_commitment(own_commitment):
    Commitment.objects.filter(pk=own_commitment.pk).update(updated_at=SUMMER)
    return own_commitment


@pytest.mark.django_db
def test_csv_export_is_for_a_french_excel(admin_client, dated_commitment):
    response = admin_client.get(reverse(LIST), {"export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = _content(response)
    assert content.startswith("\ufeff".encode())  # the BOM Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert "Identifiant" in rows[0] and "Statut" in rows[0]  # « ; » separates the columns
    row = next(r for r in rows if r["Identifiant"] == str(dated_commitment.pk))
    # The screens show Paris time: so does the file.
    assert row[next(k for k in row if k.startswith("Dernière mise à jour"))] == "03/07/2026 16:30"


@pytest.mark.django_db
def test_xlsx_export_has_a_named_sheet_and_paris_time(admin_client, dated_commitment):
    response = admin_client.get(reverse(LIST), {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(_content(response)))
    assert workbook.sheetnames == ["Engagements"]
    rows = list(workbook.active.values)
    header, body = rows[0], rows[1:]
    row = next(r for r in body if r[header.index("Identifiant")] == dated_commitment.pk)
    updated = next(i for i, name in enumerate(header) if str(name) == "Dernière mise à jour")
    assert row[updated] == datetime.datetime(2026, 7, 3, 16, 30)


@pytest.mark.django_db
def test_dashboard_xlsx_sheet_is_named_after_its_table(client, committee_member):
    client.force_login(committee_member)
    response = client.get(reverse("monitoring:export", args=["partenaires"]), {"export": "xlsx"})
    assert load_workbook(io.BytesIO(_content(response))).sheetnames == [
        "Fiche de suivi par partenaire"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, "Oui"),
        (False, "Non"),
        (SUMMER, "03/07/2026 16:30"),
        (WINTER, "03/01/2026 15:30"),
        (datetime.date(2026, 12, 1), "01/12/2026"),
        (Decimal("4800.50"), "4800,50"),
        (12.5, "12,5"),
        (-3, -3),  # a number stays a number: never prefixed
        ("=1+1", "'=1+1"),
        ("Réalisé", "Réalisé"),
    ],
)
def test_csv_cell(value, expected):
    with timezone.override("Europe/Paris"):
        assert csv_cell(value) == expected


def test_sheet_title_is_what_excel_accepts():
    class View:
        sheet_title = "Suivi : partenaires [2026] / CAF * ? et un titre bien trop long"

        def get_filename(self):
            return "x"

    title = sheet_title(View())
    assert len(title) <= 31
    assert not set(title) & set("[]:*?/\\")
