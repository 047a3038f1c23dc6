"""The tree writer stores a commitment's co-partners and the signatories' porteur (issue 17)."""

import pytest

from charter.choices import PartnerKind
from charter.models import Partner
from engagements.models import Commitment
from imports.tree import (
    TreeOptions,
    TreeReport,
    _Writer,
    collective_porteur,
    commitment_co_partners_write,
)

pytestmark = pytest.mark.django_db


def test_co_partners_are_found_by_short_name_and_written_once(caf, adil):
    commitment = Commitment.objects.filter(partner=adil).order_by("pk").first()
    partners = list(Partner.objects.exclude(kind=PartnerKind.COLLECTIVE))
    writer = _Writer(TreeOptions(reason="Import"), TreeReport())
    missing = commitment_co_partners_write(
        writer, commitment=commitment, names=["caf", "ADIL 75", "Inconnu"], partners=partners
    )
    assert missing == ["Inconnu"]
    assert list(commitment.co_partners.all()) == [caf]  # never the porteur itself
    assert commitment.history.latest().history_change_reason == "Import"
    rows = commitment.history.count()
    commitment_co_partners_write(writer, commitment=commitment, names=["CAF"], partners=partners)
    assert commitment.history.count() == rows  # the same document again: nothing written
    assert writer.report.updated["engagements partagés"] == 1


def test_the_signatories_porteur_is_the_collective_partner():
    assert collective_porteur().kind == PartnerKind.COLLECTIVE
