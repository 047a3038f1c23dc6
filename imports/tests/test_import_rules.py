"""Commitment imports follow the edit form's rules (engagements.rules), row by row."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from engagements.models import Commitment
from engagements.rules import EVIDENCE_REQUIRED_MESSAGE
from imports.models import ImportRecord
from imports.services import import_file

pytestmark = pytest.mark.django_db


def _run(data: bytes, user, dry_run=False):
    return import_file(
        kind="commitments", filename="suivi.csv", data=data, user=user, dry_run=dry_run
    )


def _state(commitment_id):
    commitment = Commitment.objects.get(pk=commitment_id)
    return (
        commitment.status,
        commitment.progress,
        commitment.text,
        commitment.version,
        commitment.last_reported_at,
        commitment.history.count(),
    )


@pytest.fixture
def two(charter_page):
    first, second = (
        Commitment.objects.for_charter(charter_page)
        .filter(status="not_started", evidence_url="", evidence_document=None)
        .order_by("pk")[:2]
    )
    return first, second


def test_imported_achieved_without_evidence_is_refused_and_nothing_is_written(superuser, two):
    first, second = two
    before = [_state(first.pk), _state(second.pk)]
    data = (
        "id,statut,avancement,point_d_avancement\n"
        f"{first.pk},En cours,30,Démarré\n"
        f"{second.pk},Réalisé,40,Fini sans justificatif\n"
    ).encode()
    for dry_run in (True, False):
        report = _run(data, superuser, dry_run=dry_run)
        assert not report.ok and not report.written
        assert report.errors == [
            f"Ligne 3, colonne « justificatif_url » : {EVIDENCE_REQUIRED_MESSAGE}"
        ]
    assert [_state(first.pk), _state(second.pk)] == before
    assert not ImportRecord.objects.exists()

    # With a link, the same row goes through: "Réalisé" means 100 %.
    fixed = data.decode().replace("Fini sans justificatif", "Fini,https://example.org/bilan")
    fixed = fixed.replace("point_d_avancement\n", "point_d_avancement,justificatif_url\n", 1)
    report = _run(fixed.encode(), superuser)
    assert report.ok, report.errors
    second.refresh_from_db()
    assert (second.status, second.progress) == ("achieved", 100)


def test_the_admin_import_preview_shows_the_forms_message(admin_client, two):
    _first, second = two
    before = _state(second.pk)
    upload = SimpleUploadedFile("suivi.csv", f"id,statut\n{second.pk},Réalisé\n".encode())
    response = admin_client.post("/admin/imports/donnees/", {"kind": "commitments", "file": upload})
    page = html.unescape(response.content.decode())
    assert EVIDENCE_REQUIRED_MESSAGE in page
    assert "Rien ne sera importé" in page and "Confirmer l'import" not in page
    assert _state(second.pk) == before


def test_only_a_progress_report_dates_last_reported_at(superuser, two):
    first, second = two
    assert first.last_reported_at is None and second.last_reported_at is None
    data = (
        "id,engagement,avancement\n"
        f"{first.pk},Texte reformulé par le secrétariat,\n"
        f"{second.pk},,25\n"
    ).encode()
    report = _run(data, superuser)
    assert report.ok, report.errors
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.text == "Texte reformulé par le secrétariat" and first.version == 2
    assert first.last_reported_at is None  # a text-only edit is not a progress report
    assert second.progress == 25 and second.last_reported_at is not None
