"""Hostile data files (issue 12): each gets a French error quickly and nothing is imported."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from charter.models import Partner
from imports.models import ImportRecord
from imports.services import import_file

pytestmark = pytest.mark.django_db


def _state() -> tuple[int, int]:
    return Partner.objects.count(), ImportRecord.objects.count()


def _refused(data: bytes, superuser, filename: str) -> list[str]:
    before = _state()
    report = import_file(
        kind="partners", filename=filename, data=data, user=superuser, dry_run=False
    )
    assert not report.written and not report.rows
    assert _state() == before
    return report.errors


def test_deeply_nested_json_is_refused_in_french(superuser):
    data = b"[" * 100_000 + b"]" * 100_000
    (error,) = _refused(data, superuser, "partenaires.json")
    assert error.startswith("Le JSON est trop imbriqué (plus de 5 niveaux")


def test_json_nesting_the_format_needs_is_accepted(superuser):
    data = '{"partenaires": [{"nom": "Nid", "sigle": "NID", "site_internet": ["x", {"a": 1}]}]}'
    report = import_file(
        kind="partners", filename="p.json", data=data.encode(), user=superuser, dry_run=True
    )
    assert not any("imbriqué" in error for error in report.errors)


def test_twenty_thousand_duplicate_ish_columns_are_refused(superuser):
    # "Nom", "nom ", "NOM" … all read as the column « nom »: the old check was quadratic.
    headers = [("Nom" if i % 2 else "nom") + " " * (i % 7) for i in range(20_000)]
    data = (",".join(headers) + "\n" + ",".join("x" for _ in headers) + "\n").encode()
    (error,) = _refused(data, superuser, "partenaires.csv")
    assert error == (
        "Le fichier a trop de colonnes (20\u202f000) : la limite est de 50. "
        "Gardez seulement les colonnes attendues."
    )


def test_the_duplicate_column_check_is_linear(superuser, settings):
    # Under a raised column cap, 20,000 columns still get their answer at once (it took 15 s).
    settings.IMPORT_MAX_COLUMNS = 30_000
    headers = [("Nom" if i % 2 else "nom") + " " * (i % 7) for i in range(20_000)]
    data = (",".join(headers) + "\n" + ",".join("x" for _ in headers) + "\n").encode()
    assert _refused(data, superuser, "partenaires.csv") == ["Colonne en double : nom."]


def test_duplicate_columns_under_the_cap_are_named(superuser):
    data = b"Nom,nom ,NOM,sigle\na,b,c,d\n"
    assert _refused(data, superuser, "p.csv") == ["Colonne en double : nom."]


def test_rows_over_the_cap_are_refused(superuser, settings):
    settings.IMPORT_MAX_ROWS = 100
    data = ("nom,sigle\n" + "".join(f"Partenaire {i},P{i}\n" for i in range(101))).encode()
    (error,) = _refused(data, superuser, "partenaires.csv")
    assert error == (
        "Le fichier a plus de 100 lignes de données, la limite : découpez-le en plusieurs fichiers."
    )


def test_default_row_cap_keeps_the_ten_thousand_row_preview(superuser):
    data = ("nom,sigle\n" + "".join(f"Partenaire {i},P{i}\n" for i in range(20_001))).encode()
    (error,) = _refused(data, superuser, "partenaires.csv")
    assert error.startswith("Le fichier a plus de 20\u202f000 lignes de données")


def test_cell_over_the_cap_is_refused(superuser):
    data = ("nom,sigle\n" + "A" * 10_001 + ",A\n").encode()
    (error,) = _refused(data, superuser, "partenaires.csv")
    assert error == (
        "Ligne 2 : une cellule contient 10\u202f001 caractères, la limite est de 10\u202f000. "
        "Raccourcissez ce texte."
    )


def _xlsx_bomb() -> bytes:
    """A real XLSX whose first sheet, highly repetitive, unpacks to megabytes from kilobytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["nom", "sigle"])
    row = '<row><c t="inlineStr"><is><t>' + "x" * 50 + "</t></is></c></row>"
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                head, tail = content.decode().split("</sheetData>")
                content = (head + row * 200_000 + "</sheetData>" + tail).encode()
            bomb.writestr(member.filename, content)
    return out.getvalue()


def test_xlsx_bomb_is_refused_before_opening(admin_client):
    data = _xlsx_bomb()
    assert len(data) < 100_000
    before = _state()
    upload = SimpleUploadedFile("partenaires.xlsx", data)
    response = admin_client.post("/admin/imports/donnees/", {"kind": "partners", "file": upload})
    page = response.content.decode()
    assert "Le classeur XLSX, une fois décompressé, est anormalement volumineux" in page
    assert "Enregistrez la feuille au format CSV UTF-8" in page
    assert "Confirmer l'import" not in page
    assert len(page) < 200_000
    assert _state() == before


def test_xlsx_sheet_claiming_a_million_rows_is_read_by_its_cells(superuser, settings):
    # Within the zip caps, but the sheet says A1:XFD1048576 and puts a cell on the last line.
    settings.IMPORT_MAX_XLSX_RATIO = 10_000
    workbook = Workbook()
    workbook.active.append(["nom", "sigle"])
    workbook.active.append(["Tableur", "TAB"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as patched:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                text = text.replace('<dimension ref="A1:B2"/>', '<dimension ref="A1:XFD1048576"/>')
                text = text.replace(
                    "</sheetData>",
                    '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'
                    "</row></sheetData>",
                )
                content = text.encode()
            patched.writestr(member.filename, content)
    (error,) = _refused(out.getvalue(), superuser, "partenaires.xlsx")
    assert error.startswith("La feuille a plus de 20\u202f001 lignes (lignes vides comprises)")


def test_xlsx_too_much_text_is_refused(superuser, settings):
    # One long shared string repeated on many rows: a small file, a huge table.
    settings.IMPORT_MAX_XLSX_RATIO = 10_000
    workbook = Workbook()
    workbook.active.append(["nom", "sigle"])
    for number in range(300):
        workbook.active.append([f"P{number}", "y" * 9_000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    (error,) = _refused(buffer.getvalue(), superuser, "partenaires.xlsx")
    assert error.startswith(
        "Le fichier contient trop de texte (plus de 2\u202f097\u202f152 caractères"
    )
