"""The import's PostgreSQL search indexing writes exactly the rows Wagtail's backend writes."""

import pytest
from django.db import connection
from wagtail.search.backends import get_search_backend

from engagements.models import Commitment
from imports.resources.search_index import add_to_search_index

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL's search backend only (SQLite's goes through backend.add_bulk)",
    ),
]

COLUMNS = "content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text"


def _entries() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            + ", ".join(f"{column}::text" for column in COLUMNS.split(", "))
            + " FROM wagtailsearch_indexentry ORDER BY content_type_id, object_id"
        )
        return cursor.fetchall()


def _clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM wagtailsearch_indexentry")


def test_same_entries_as_the_backend(charter_page):
    backend = get_search_backend()
    commitments = list(
        Commitment.objects.for_charter(charter_page).select_related("partner", "action")
    )
    assert len(commitments) == 20  # tests/synthetic.py: 20 commitments in every status
    commitments[0].text = ""  # a vector with no text (the backend's empty vector)
    commitments[1].text = "Réduire les **expulsions** : CCAPEX, FSL, ADIL 75"
    _clear()
    backend.get_index_for_model(Commitment).add_items(Commitment, commitments)
    expected = _entries()
    _clear()
    # Batches of 7: three statements, the title norms refreshed once at the end.
    add_to_search_index(backend, Commitment, commitments, batch_size=7)
    assert _entries() == expected
    assert len(expected) == 20
