"""DOCX export of shared commitments: once, under the porteur with « (avec X, Y) », and the
signatories' commitments under « Engagements partagés » (issue 17)."""

import datetime
import io

import pytest
from docx import Document

from charter.models import ActionPage
from engagements.tests.factories import (
    CommitmentFactory,
    SharedCommitmentFactory,
    collective_partner,
)
from publishing.docx.export import presentation, render_docx
from publishing.snapshot import build_snapshot, fingerprint

pytestmark = pytest.mark.django_db


def test_shared_commitments_are_written_once_in_the_importers_vocabulary(charter_page, adil, caf):
    action = ActionPage.objects.filter(path__startswith=charter_page.path).order_by("path").last()
    SharedCommitmentFactory(
        partner=adil, action=action, position=90, co_partners=[caf], text="Suivre ensemble."
    )
    CommitmentFactory(
        partner=collective_partner(),
        action=action,
        position=91,
        text="Les signataires s'engagent à se réunir chaque année.",
    )
    snapshot = build_snapshot(charter=charter_page, name="V", date=datetime.date(2031, 1, 1))
    shared = [c for c in snapshot["commitments"] if "co_partners" in c or "all_signatories" in c]
    assert len(shared) == 2  # the others keep their former shape (frozen snapshots unchanged)
    data = render_docx(snapshot, fingerprint=fingerprint(snapshot), presentation=presentation())
    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert paragraphs.count("Suivre ensemble. (avec CAF)") == 1
    heading = paragraphs.index("Engagements partagés")
    collective = paragraphs.index("Les signataires s'engagent à se réunir chaque année.")
    assert heading < collective
    assert "Ensemble des signataires" not in paragraphs and "Tous les signataires" not in paragraphs
    # The section comes after every partner's own commitments.
    assert paragraphs.index(adil.name) < heading
