"""Migration 0014_shared_co_partners: forward adds co-partners and the collective partner, back
removes them and keeps every commitment (issue 17)."""

import pytest

from conftest import migrate_to

BEFORE = [("engagements", "0013_public_evidence_signed_text"), ("charter", "0007_signature_page")]


@pytest.mark.django_db(transaction=True)
def test_back_and_forth_keeps_the_commitments_and_the_collective_partner():
    from engagements.models import Commitment

    count = Commitment.objects.count()
    assert count
    try:
        old = migrate_to(BEFORE)
        Partner = old.get_model("charter", "Partner")
        assert not Partner.objects.filter(slug="signataires").exists()
        assert old.get_model("engagements", "Commitment").objects.count() == count
        assert "co_partners" not in {
            f.name for f in old.get_model("engagements", "Commitment")._meta.get_fields()
        }
    finally:
        new = migrate_to()
    partner = new.get_model("charter", "Partner").objects.get(slug="signataires")
    assert (partner.kind, partner.name) == ("collective", "Ensemble des signataires")
    assert Commitment.objects.count() == count
    assert not Commitment.co_partners.through.objects.exists()
