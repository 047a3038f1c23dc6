"""The secretariat's round trip in Chromium (issue 14): download the open-data commitments CSV,
change one French status label and one point d'avancement, upload it, see exactly those two
changes first (before → after, in words), confirm, see them applied. Zero axe violations on the
preview at phone and desktop widths, and no table wider than a phone screen."""

import csv
import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.contenttypes.models import ContentType
from wagtail.models import ModelLogEntry

from charter.roles import SECRETARIAT
from conftest import restore_session_state
from engagements.models import Commitment
from engagements.tests.factories import CommitmentFactory, PartnerFactory, user_with_role
from imports.models import ImportRecord

from .conftest import WIDTHS
from .test_public_site import format_violations

PASSWORD = "parcours-secretariat-2026"
FILENAME = "engagements-revus-par-le-secretariat.csv"
NOTE = "Deux permanences d'accès au droit tenues en mars."


@pytest.fixture(scope="module")
def journey(django_db_blocker):
    """A secretariat user and three commitments of one partner, committed for the live server,
    removed afterwards (the synthetic charter's own commitments are left untouched)."""
    with django_db_blocker.unblock():
        restore_session_state()  # a live-server test before this module may have flushed it
        partner = PartnerFactory(name="Association du circuit d'import", short_name="CIRCUIT")
        user = user_with_role(SECRETARIAT, username="secretariat-import")
        user.set_password(PASSWORD)
        user.save()
        commitments = [
            CommitmentFactory(partner=partner, position=900 + n, text=f"Engagement importé {n}")
            for n in range(3)
        ]
        Commitment.objects.filter(pk=commitments[1].pk).update(status="in_progress", progress=40)
    yield user, commitments
    with django_db_blocker.unblock():
        ids = [str(c.pk) for c in Commitment.objects.filter(partner=partner)]
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Commitment), object_id__in=ids
        ).delete()
        for commitment in Commitment.objects.filter(partner=partner):
            commitment.history.all().delete()
            commitment.delete()
        ImportRecord.objects.filter(filename=FILENAME).delete()
        user.delete()
        partner.delete()


def _edited_export(content: bytes, relabelled: int, noted: int) -> tuple[bytes, int]:
    """The export as Excel would give it back: one status label and one point d'avancement
    changed, every other cell as downloaded."""
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    rows = list(reader)
    for row in rows:
        if row["id"] == str(relabelled):
            assert row["statut_libelle"] == "Non démarré"
            row["statut_libelle"] = "En cours"
        if row["id"] == str(noted):
            row["point_avancement"] = NOTE
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(), len(rows)


def _axe_violations(page) -> list:
    return Axe().run(page).response["violations"]


def test_the_secretariat_reimports_the_open_data_file_with_two_changes(
    open_page, site_url, journey, tmp_path
):
    user, commitments = journey
    relabelled, noted = commitments[0], commitments[1]
    page = open_page("/admin/login/?next=/admin/imports/donnees/")
    page.set_default_timeout(30000)
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url("**/admin/imports/donnees/")

    # The open-data file, from the link of the import page.
    href = page.get_by_role("link", name="engagements.csv").get_attribute("href")
    export = page.request.get(site_url + href)
    assert export.ok
    data, total = _edited_export(export.body(), relabelled.pk, noted.pk)

    page.select_option("select[name=kind]", "commitments")
    page.set_input_files(
        "input[name=file]", {"name": FILENAME, "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Prévisualiser l'import").click()
    page.wait_for_load_state("load")

    summary = page.locator("[data-import-summary]")
    assert summary.inner_text() == (
        f"{total} lignes : 0 nouveau, 2 modifiés, {total - 2} inchangés, 0 en erreur."
    )
    assert "Colonnes ignorées : « code »" in page.locator("[data-import-warning]").inner_text()
    changed = page.locator('[data-import-group="modifié"] > li')
    assert changed.count() == 2
    texts = [changed.nth(n).inner_text() for n in range(2)]
    status_row = next(t for t in texts if "Engagement importé 0" in t)
    note_row = next(t for t in texts if "Engagement importé 1" in t)
    assert "CIRCUIT" in status_row and "Statut\navant : Non démarré → après : En cours" in (
        status_row
    )
    assert f"Point d'avancement\navant : (vide) → après : {NOTE}" in note_row
    # The buttons above the rows; the unchanged rows folded.
    confirm = page.get_by_role("button", name="Confirmer l'import")
    assert confirm.bounding_box()["y"] < changed.first.bounding_box()["y"]
    assert not page.locator('[data-import-group="inchangé"]').evaluate("d => d.open")

    for name, width in sorted(WIDTHS.items(), key=lambda item: -item[1]):
        page.set_viewport_size({"width": width, "height": 900})
        violations = _axe_violations(page)
        assert violations == [], f"aperçu ({name}):\n{format_violations(violations)}"
        overflow = page.evaluate(
            """() => [...document.querySelectorAll('.import-preview *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .map(el => el.tagName + '.' + el.className)"""
        )
        assert overflow == [], f"{name} : {overflow[:5]}"
        page.screenshot(path=tmp_path / f"apercu-import-{name}.png")  # to look at, on failure

    page.set_viewport_size({"width": 1280, "height": 900})
    confirm.click()
    page.wait_for_url("**/admin/imports/donnees/")
    assert f"Import terminé : 0 nouveau, 2 modifiés, {total - 2} inchangés." in page.content()
    assert page.errors == []
    # (No query from this thread before the end: its read would lock SQLite for the server.)
    relabelled.refresh_from_db()
    noted.refresh_from_db()
    assert (relabelled.status, noted.narrative, noted.status) == (
        "in_progress",
        NOTE,
        "in_progress",
    )
