"""File imports: formats, encodings, French errors, atomicity, history reason, admin views."""

import io
import json

import pytest
from openpyxl import Workbook

from charter.models import Partner
from engagements.models import Commitment
from glossary.models import LexiconEntry
from imports.models import ImportRecord
from imports.reading import MAX_IMPORT_BYTES
from imports.services import import_file
from monitoring.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


def _csv(rows, sep=",", encoding="utf-8") -> bytes:
    return "\n".join(sep.join(row) for row in rows).encode(encoding)


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(kind, data, superuser, filename="f.csv", dry_run=False, charter=None):
    return import_file(
        kind=kind, filename=filename, data=data, user=superuser, dry_run=dry_run, charter=charter
    )


def test_partners_csv_semicolon_windows_1252(superuser):
    data = _csv(
        [["Nom", "Sigle", "Catégorie"], ["Société de Crédit Immobilier", "SACI", "Bailleur"]],
        sep=";",
        encoding="cp1252",
    )
    report = run("partners", data, superuser)
    assert report.ok, report.errors
    assert (report.encoding, report.separator) == ("Windows-1252", ";")
    partner = Partner.objects.get(short_name="SACI")
    assert partner.name == "Société de Crédit Immobilier"
    assert partner.kind == "landlord" and partner.slug == "saci"
    assert ImportRecord.objects.filter(kind="partners", user=superuser).count() == 1


def test_partners_utf8_bom_and_unchanged_rows(superuser):
    existing = Partner.objects.get(short_name="CAF")
    data = b"\xef\xbb\xbf" + _csv([["nom", "sigle"], [existing.name, existing.short_name]])
    report = run("partners", data, superuser, dry_run=True)
    assert report.ok and report.encoding == "UTF-8 (avec BOM)"
    assert report.totals["inchangé"] == 1 and report.totals["nouveau"] == 0


def test_dry_run_writes_nothing_and_reports_each_row(superuser):
    before = Partner.objects.count()
    data = _csv([["nom", "sigle"], ["Nouvelle association", "NA"], ["Autre", "AU"]])
    report = run("partners", data, superuser, dry_run=True)
    assert report.ok and report.totals["nouveau"] == 2
    assert [row.outcome for row in report.rows] == ["nouveau", "nouveau"]
    assert Partner.objects.count() == before
    assert not ImportRecord.objects.exists()


def test_commitment_update_by_id_records_history_reason(superuser, charter_page):
    commitment = Commitment.objects.for_charter(charter_page).order_by("pk").first()
    data = _csv(
        [
            ["id", "statut", "avancement", "echeance"],
            [str(commitment.pk), "En cours", "40", "31/12/2027"],
        ]
    )
    report = run("commitments", data, superuser, filename="suivi.csv")
    assert report.ok, report.errors
    assert report.totals["modifié"] == 1
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress, str(commitment.due_date)) == (
        "in_progress",
        40,
        "2027-12-31",
    )
    record = commitment.history.order_by("-history_date").first()
    assert "suivi.csv" in record.history_change_reason
    assert "Import" in record.history_change_reason
    assert record.history_user == superuser


def test_commitment_create_xlsx_with_default_charter(superuser, charter_page):
    data = _xlsx(
        [
            ["Partenaire", "Action", "Rang", "Engagement", "Statut", "Échéance"],
            ["CAF", "3", 99, "Un nouvel engagement importé", "Non démarré", None],
        ]
    )
    report = run("commitments", data, superuser, filename="e.xlsx", charter=charter_page)
    assert report.ok, report.errors
    assert report.file_format == "xlsx"
    created = Commitment.objects.get(text="Un nouvel engagement importé")
    assert created.partner.short_name == "CAF" and created.action.code == "3"
    assert created.position == 99


def test_lexicon_json(superuser, charter_page):
    data = json.dumps(
        [{"sigle": "ZZTOP", "definition": "Zone de test"}, {"sigle": "caf", "definition": "X"}]
    ).encode()
    report = run("lexicon", data, superuser, filename="l.json", charter=charter_page)
    assert report.ok, report.errors
    assert report.file_format == "json"
    assert report.totals == {"nouveau": 1, "modifié": 1, "inchangé": 0, "invalide": 0}
    assert LexiconEntry.objects.get(charter=charter_page, term__iexact="caf").definition == "X"


def test_indicator_values_french_numbers(superuser):
    indicator = Indicator.objects.filter(kind="quantitative").first()
    data = _csv([["indicateur", "annee", "valeur"], [indicator.name, "2024", "1 234,5"]], sep=";")
    report = run("indicator_values", data, superuser)
    assert report.ok, report.errors
    assert str(IndicatorValue.objects.get(indicator=indicator, year=2024).value) == "1234.50"


def test_bad_number_gives_french_message_and_writes_nothing(superuser):
    indicator = Indicator.objects.filter(kind="quantitative").first()
    data = _csv(
        [
            ["indicateur", "annee", "valeur"],
            [indicator.name, "2023", "12"],
            [indicator.name, "2024", "pas-un-nombre"],
        ]
    )
    report = run("indicator_values", data, superuser)
    assert not report.ok
    assert report.errors == [
        "Ligne 3, colonne « valeur » : Valeur : nombre attendu, « pas-un-nombre » reçu."
    ]
    assert "InvalidOperation" not in " ".join(report.errors)
    assert not IndicatorValue.objects.filter(indicator=indicator, year=2023).exists()


def test_unknown_partner_is_named_with_row_and_column(superuser, charter_page):
    data = _csv([["partenaire", "action", "rang", "engagement"], ["INCONNU", "3", "50", "Texte"]])
    report = run("commitments", data, superuser, charter=charter_page)
    assert not report.ok
    assert any(
        error.startswith("Ligne 2, colonne « partenaire » : Partenaire inconnu : « INCONNU »")
        for error in report.errors
    ), report.errors


def test_unknown_status_and_overdue_refused(superuser, charter_page):
    ids = list(
        Commitment.objects.for_charter(charter_page).order_by("pk").values_list("pk", flat=True)
    )
    data = _csv([["id", "statut"], [str(ids[0]), "fini"], [str(ids[1]), "En retard"]])
    report = run("commitments", data, superuser)
    assert not report.ok
    assert report.errors[0].startswith("Ligne 2, colonne « statut » : Statut inconnu : « fini »")
    assert "Non démarré, En cours" in report.errors[0]
    assert report.errors[1] == (
        "Ligne 3, colonne « statut » : « En retard » n'est pas un statut : il est calculé "
        "d'après l'échéance."
    )


def test_missing_column(superuser):
    report = run("commitments", _csv([["partenaire", "engagement"], ["CAF", "x"]]), superuser)
    assert not report.ok and not report.rows
    assert report.errors[0].startswith("Colonne(s) manquante(s) : « action », « rang ».")


def test_duplicate_rows_refused(superuser, charter_page):
    rows = [["partenaire", "action", "rang", "engagement"]]
    rows += [["CAF", "3", "60", "Premier"], ["caf", "3", "60", "Doublon"]]
    before = Commitment.objects.count()
    report = run("commitments", _csv(rows), superuser, charter=charter_page)
    assert not report.ok
    assert report.errors == [
        "Ligne 3 : Ligne en double : même engagement (partenaire, action et rang) que la ligne 2."
    ]
    assert Commitment.objects.count() == before


def test_atomicity_one_bad_row_imports_nothing(superuser):
    before = Partner.objects.count()
    data = _csv(
        [["nom", "sigle", "categorie"], ["Bonne ligne", "BL", "Association"], ["X", "X", "??"]]
    )
    report = run("partners", data, superuser)
    assert not report.ok and not report.written
    assert report.totals["nouveau"] == 1 and report.totals["invalide"] == 1
    assert Partner.objects.count() == before
    assert not ImportRecord.objects.exists()


def test_bad_encoding(superuser):
    report = run("partners", "nom,sigle\nA,B\n".encode("utf-16"), superuser)
    assert not report.ok
    assert report.errors[0].startswith("Encodage non reconnu")


def test_too_large(superuser):
    data = b"nom,sigle\n" + b"A,B\n" * (MAX_IMPORT_BYTES // 4 + 10)
    report = run("partners", data, superuser)
    assert not report.ok
    assert report.errors[0].startswith("Le fichier est trop volumineux (2,1 Mo)")


def test_forbidden_transition_on_update(superuser, charter_page):
    commitment = Commitment.objects.for_charter(charter_page).order_by("pk").first()
    assert commitment.status == "not_started"
    report = run("commitments", _csv([["id", "statut"], [str(commitment.pk), "Bloqué"]]), superuser)
    assert report.errors == [
        "Ligne 2, colonne « statut » : Un engagement « Non démarré » ne peut pas passer à "
        "« Bloqué »."
    ]


def test_admin_upload_preview_then_confirm(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.csv", _csv([["nom", "sigle"], ["Asso Import", "AI"]]))
    response = admin_client.post("/admin/imports/donnees/", {"kind": "partners", "file": upload})
    assert response.status_code == 200
    assert "Confirmer l'import" in response.content.decode()
    assert not Partner.objects.filter(short_name="AI").exists()
    payload = response.context["payload"]
    response = admin_client.post("/admin/imports/donnees/", {"payload": payload})
    assert response.status_code == 302
    assert Partner.objects.filter(short_name="AI").exists()


def test_admin_preview_shows_errors_without_confirm(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.csv", _csv([["nom", "categorie"], ["A", "??"]]))
    response = admin_client.post("/admin/imports/donnees/", {"kind": "partners", "file": upload})
    content = response.content.decode()
    assert "Rien ne sera importé" in content and "Catégorie inconnu" in content
    assert "Confirmer l'import" not in content


def test_only_secretariat_may_import(client, django_user_model):
    from django.contrib.auth.models import Group, Permission

    user = django_user_model.objects.create_user("editeur", password="x-motdepasse-42")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/imports/donnees/").status_code == 403
    assert client.get("/admin/imports/charte/").status_code == 403
    user.groups.add(Group.objects.get(name="Secrétariat CCAPEX"))
    assert client.get("/admin/imports/donnees/").status_code == 200
