"""Migration 0005 keeps every signature held by the old shape (Signatory/Declaration signers)."""

import datetime

import pytest

from conftest import migrate_to

BEFORE = [("charter", "0004_charterpage_in_force")]
AFTER = [("charter", "0005_one_signature_record")]


@pytest.fixture
def back_to_latest():
    """Leave the database at the latest migrations (later ones add columns the session needs)."""
    yield
    migrate_to()


@pytest.mark.django_db(transaction=True)
def test_signers_move_into_the_signature_records(back_to_latest):
    old = migrate_to(BEFORE)
    try:
        Signatory = old.get_model("charter", "Signatory")
        Declaration = old.get_model("charter", "Declaration")
        Signature = old.get_model("charter", "Signature")
        Signature.objects.all().delete()
        first, second = Signatory.objects.order_by("pk")[:2]
        Signatory.objects.filter(pk=first.pk).update(
            signer_name="Michel Cadot",
            signer_title="Préfet de la région d'Île-de-France, préfet de Paris",
            signed_on=datetime.date(2017, 12, 14),
        )
        Signatory.objects.filter(pk=second.pk).update(signer_name="Nom seul")
        declaration = Declaration.objects.get()
        Declaration.objects.filter(pk=declaration.pk).update(
            signer_name="Frédéric PELISSOLO", signer_title="Le Président"
        )
    finally:
        new = migrate_to(AFTER)

    Signature = new.get_model("charter", "Signature")
    records = {s.partner_id: s for s in Signature.objects.all()}
    assert len(records) == 3
    signed = records[first.partner_id]
    assert (signed.status, signed.signer_name, signed.signed_on) == (
        "signed",
        "Michel Cadot",
        datetime.date(2017, 12, 14),
    )
    assert signed.signer_title.startswith("Préfet de la région")
    named = records[second.partner_id]
    assert (named.status, named.signer_name, named.signed_on) == ("pending", "Nom seul", None)
    unpi = records[declaration.partner_id]
    assert (unpi.signer_name, unpi.signer_title) == ("Frédéric PELISSOLO", "Le Président")
    # The declaration itself (text, place, date) is kept.
    kept = new.get_model("charter", "Declaration").objects.get(pk=declaration.pk)
    assert (kept.text, kept.place, kept.signed_on) == (
        declaration.text,
        declaration.place,
        declaration.signed_on,
    )
