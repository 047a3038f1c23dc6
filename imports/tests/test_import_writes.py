"""Real commitment imports: written in batches, with what each row's save would have brought.

One historical record and one audit-log entry per saved row (the import's reason and user), the
search and reference indexes, the natural keys moved in the file's order; a query count that
does not grow with the number of rows.
"""

import csv
import io

import pytest
from wagtail.models import ModelLogEntry, ReferenceIndex
from wagtail.search.backends import get_search_backend

from engagements.models import Commitment
from imports.resources.base import IMPORT_LOG_ACTION
from imports.services import import_file
from imports.tests.commitments_csv import commitments_import_csv

pytestmark = pytest.mark.django_db

# Queries of a real commitments import, whatever its number of rows: the dry run's reads, then
# per batch of 500 rows one insert and one update of the commitments, one insert of their
# history, one of their audit-log entries, the search index (replace, insert; on PostgreSQL the
# title norms once per import), the reference index (read, insert), then the import record.
# (SQLite splits an insert of more than 999 values: the test's files stay under that,
# PostgreSQL does not split.)
REAL_MAX_QUERIES = 24


def _import(charter, superuser, data, *, dry_run=False):
    return import_file(
        kind="commitments",
        filename="engagements.csv",
        data=data,
        user=superuser,
        dry_run=dry_run,
        charter=charter,
    )


@pytest.mark.parametrize("rows", [10, 40])
def test_real_import_query_count_does_not_grow_with_rows(
    rows, superuser, charter_page, django_assert_max_num_queries
):
    data = commitments_import_csv(charter_page, rows)
    before = Commitment.objects.count()
    with django_assert_max_num_queries(REAL_MAX_QUERIES):
        report = _import(charter_page, superuser, data)
    assert report.ok, report.errors[:3]
    assert report.written
    assert Commitment.objects.count() == before + rows - rows // 10


def test_real_import_writes_history_log_and_indexes(superuser, charter_page):
    data = commitments_import_csv(charter_page, 30)
    updated_ids = list(Commitment.objects.for_charter(charter_page).order_by("pk")[:3])
    report = _import(charter_page, superuser, data)
    assert report.ok, report.errors[:3]
    reason = Commitment.history.filter(history_type="+").latest("history_id").history_change_reason
    assert reason.startswith("Import « ")
    created = Commitment.objects.filter(text__startswith="Engagement importé n° ")
    assert created.count() == 27
    for commitment in [*created, *updated_ids]:
        commitment.refresh_from_db()
        records = list(commitment.history.filter(history_change_reason=reason))
        # One historical record per created or changed commitment, with the import's reason.
        assert len(records) == 1, commitment.pk
        (record,) = records
        assert record.history_user == superuser
        assert record.history_type == ("~" if commitment in updated_ids else "+")
        assert record.text == commitment.text
        assert record.version == commitment.version
        assert commitment.updated_at is not None and commitment.created_at is not None
        # One audit-log entry (as wagtail.log_actions.log writes it).
        entry = ModelLogEntry.objects.get(object_id=str(commitment.pk), action=IMPORT_LOG_ACTION)
        assert entry.user == superuser
        assert entry.data == {"reason": reason}
        assert entry.label == str(commitment)
    changed = updated_ids[0]
    assert changed.text == "Engagement mis à jour" and changed.version == 2
    # Search index: the new text and the updated text are found, the old text of an update no
    # longer finds it.
    backend = get_search_backend()
    assert {c.pk for c in created} <= {c.pk for c in backend.search("importé", Commitment)}
    assert changed.pk in {c.pk for c in backend.search("jour", Commitment)}
    # Reference index: the action page of a new commitment lists it.
    new = created.first()
    assert (
        ReferenceIndex.get_references_for_object(new)
        .filter(to_object_id=str(new.action_id))
        .exists()
    )


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_real_import_moves_keys_in_the_file_order(superuser, charter_page):
    """Rows that move commitments onto ranks other rows free: written in the rows' order."""
    first = Commitment.objects.for_charter(charter_page).order_by("pk").first()
    partner, action, position = first.partner.slug, first.action.code, first.position
    second = Commitment.objects.create(
        partner=first.partner, action=first.action, position=position + 1, text="Second"
    )
    data = _csv(
        [
            ["id", "charte", "partenaire", "action", "rang", "engagement", "statut"],
            # A new commitment at rank 80; the first commitment leaves its rank for rank 81.
            ["", charter_page.slug, partner, action, "80", "Nouveau 80", "not_started"],
            [str(first.pk), "", "", "", "81", "", ""],
            # The second one takes the rank the first left; the new one is changed (written
            # differently: the same commitment); a new one takes the rank the second left.
            [str(second.pk), "", "", "", str(position), "Second, déplacé", ""],
            ["", charter_page.slug, first.partner.name, f"action {action}", "80", "Modifié", ""],
            ["", charter_page.slug, partner, action, str(position + 1), "Au rang libéré", ""],
        ]
    )
    preview = _import(charter_page, superuser, data, dry_run=True)
    assert preview.ok, preview.errors
    report = _import(charter_page, superuser, data)
    assert report.ok, report.errors
    assert [row.outcome for row in report.rows] == [row.outcome for row in preview.rows]
    assert [row.outcome for row in report.rows] == [
        *("nouveau", "modifié", "modifié", "modifié", "nouveau")
    ]
    same = Commitment.objects.filter(partner=first.partner, action=first.action)
    texts = dict(
        same.filter(position__in=[80, 81, position, position + 1]).values_list("position", "text")
    )
    assert texts == {
        80: "Modifié",
        81: first.text,
        position: "Second, déplacé",
        position + 1: "Au rang libéré",
    }
    # One historical record per saved row, in the order of the rows.
    new = same.get(position=80)
    imported = {"history_change_reason__startswith": "Import"}
    assert [
        (h.history_type, h.text) for h in new.history.filter(**imported).order_by("history_id")
    ] == [("+", "Nouveau 80"), ("~", "Modifié")]
    assert [h.position for h in first.history.filter(**imported)] == [81]
    assert ModelLogEntry.objects.filter(action=IMPORT_LOG_ACTION).count() == 5
