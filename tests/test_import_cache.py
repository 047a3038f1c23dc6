"""A real commitments import (written in batches) leaves no stale public page in the cache."""

import csv
import io

import pytest

from engagements.models import Commitment
from imports.services import import_file

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_page_cache")]


def test_pages_showing_an_imported_commitment_are_fresh_after_the_import(
    client, superuser, charter_page
):
    commitment = (
        Commitment.objects.filter(action__live=True, action__url_path__contains=charter_page.slug)
        .select_related("action")
        .first()
    )
    urls = [commitment.action.url, charter_page.url]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT"
    out = io.StringIO()
    csv.writer(out).writerows(
        [["id", "engagement"], [str(commitment.pk), "Texte changé par un import en masse"]]
    )
    report = import_file(
        kind="commitments",
        filename="engagements.csv",
        data=out.getvalue().encode(),
        user=superuser,
        dry_run=False,
        charter=charter_page,
    )
    assert report.written, report.errors
    for url in urls:
        response = client.get(url)
        assert response["X-Cache"] == "MISS"
        assert "Texte changé par un import en masse" in response.content.decode()
