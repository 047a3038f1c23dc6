"""Commitment imports: a query count independent of the number of rows, same report as before."""

import csv
import io

import pytest

from engagements.models import Commitment
from imports.services import import_file
from imports.tests.commitments_csv import commitments_import_csv

pytestmark = pytest.mark.django_db

# Queries of a commitments dry run, whatever its number of rows: partners, indicators, charter
# pages, the charter's actions, the commitments the file reaches, transaction statements.
DRY_RUN_MAX_QUERIES = 12


@pytest.mark.parametrize("rows", [50, 200])
def test_dry_run_query_count_does_not_grow_with_rows(
    rows, superuser, charter_page, django_assert_max_num_queries
):
    data = commitments_import_csv(charter_page, rows)
    before = Commitment.objects.count()
    with django_assert_max_num_queries(DRY_RUN_MAX_QUERIES):
        report = import_file(
            kind="commitments",
            filename="e.csv",
            data=data,
            user=superuser,
            dry_run=True,
            charter=charter_page,
        )
    assert report.ok, report.errors[:3]
    assert report.totals == {
        "nouveau": rows - rows // 10,
        "modifié": rows // 10,
        "inchangé": 0,
        "invalide": 0,
    }
    assert Commitment.objects.count() == before


def _tricky_file(charter) -> bytes:
    """Rows that depend on the rows before them, and errors only the database state explains."""
    commitments = Commitment.objects.for_charter(charter).order_by("pk")
    first = commitments.first()
    partner, action = first.partner.slug, first.action.code
    # Two commitments of one partner for one action (one moves onto the other's rank).
    second = commitments.exclude(pk=first.pk).first()
    Commitment.objects.create(
        partner=second.partner,
        action=second.action,
        position=second.position + 1,
        text="Second engagement du partenaire pour cette action",
    )
    pair = next(
        (c, other)
        for c in commitments.exclude(pk=first.pk)
        for other in commitments.filter(partner=c.partner_id, action=c.action_id).exclude(pk=c.pk)
        if other.pk != first.pk
    )
    left = commitments.exclude(pk__in=[first.pk, pair[0].pk, pair[1].pk])
    not_started = left.filter(status="not_started")
    rows = [
        ["id", "charte", "partenaire", "action", "rang", "engagement", "avancement", "statut"],
        # Moves the first commitment to rank 90, then updates it there by its natural key.
        [str(first.pk), "", "", "", "90", "", "", ""],
        ["", charter.slug, partner, action, "90", "Déplacé puis modifié", "10", ""],
        # The rank it left is free again: a new commitment there.
        ["", charter.slug, partner, action, str(first.position), "Nouveau au rang libéré", "", ""],
        # Two rows on one new rank, written differently: the second one updates the first.
        ["", charter.slug, partner, action, "91", "Nouveau", "", ""],
        ["", charter.slug, first.partner.name, f"action {action}", "91", "Modifié", "", ""],
        # Onto an occupied rank: the unique constraint's message.
        [str(pair[0].pk), "", "", "", str(pair[1].position), "", "", ""],
        # Progress over 100, a forbidden transition, an unknown id, a duplicate row.
        [str(not_started[0].pk), "", "", "", "", "", "150", ""],
        [str(not_started[1].pk), "", "", "", "", "", "", "Bloqué"],
        ["999999", "", "", "", "", "", "", ""],
        ["", charter.slug, partner, action, "92", "Nouveau", "", "not_started"],
        ["", charter.slug, partner, action, "92", "Doublon", "", ""],
        # Unchanged.
        [str(left.last().pk), "", "", "", "", "", "", ""],
    ]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def _outcomes(report):
    return [(row.label, row.outcome, row.errors) for row in report.rows], report.errors


def test_dry_run_reports_what_the_import_does(superuser, charter_page):
    """The preview (no write) and the import (rows saved one by one) give the same report."""
    data = _tricky_file(charter_page)
    kwargs = {"kind": "commitments", "filename": "e.csv", "data": data, "user": superuser}
    preview = import_file(**kwargs, dry_run=True, charter=charter_page)
    real = import_file(**kwargs, dry_run=False, charter=charter_page)
    assert _outcomes(preview) == _outcomes(real)
    assert [row.outcome for row in real.rows] == [
        *("modifié", "modifié", "nouveau", "nouveau", "modifié"),
        *("invalide", "invalide", "invalide", "invalide", "nouveau", "invalide", "inchangé"),
    ]
    assert real.errors == [
        "Ligne 7 : Ce partenaire a déjà un engagement à ce rang pour cette action.",
        # The commitment rules' message (engagements.rules), the same as the edit form's.
        "Ligne 8, colonne « avancement » : L'avancement doit être compris entre 0 et 100 %.",
        "Ligne 9, colonne « statut » : Un engagement « Non démarré » ne peut pas passer à "
        "« Bloqué ».",
        "Ligne 10, colonne « id » : Engagement n° 999999 introuvable.",
        "Ligne 12 : Ligne en double : même engagement (partenaire, action et rang) que la "
        "ligne 11.",
    ]
    assert not real.written
