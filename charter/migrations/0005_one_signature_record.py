"""One record of who signed a charter, and when: the Signature.

Signatory (the charter text's list of signatories) and Declaration (a signatory's reservations)
no longer store a signer: what they held moves into the partner's Signature for that charter,
filling only what the Signature does not already say. A signatory with a signature date becomes
« Signée ».
"""

from django.db import migrations


def move_signers_to_signatures(apps, schema_editor):
    Signature = apps.get_model("charter", "Signature")
    Signatory = apps.get_model("charter", "Signatory")
    Declaration = apps.get_model("charter", "Declaration")

    def merge(charter_id, partner_id, *, name, title, signed_on):
        if not (name or title or signed_on):
            return
        signature, _created = Signature.objects.get_or_create(
            charter_id=charter_id, partner_id=partner_id
        )
        changed = False
        for field, value in (("signer_name", name), ("signer_title", title)):
            if value and not getattr(signature, field):
                setattr(signature, field, value[:160])
                changed = True
        if signed_on and signature.signed_on is None:
            signature.signed_on = signed_on
            changed = True
        if signature.signed_on and signature.status == "pending":
            signature.status = "signed"
            changed = True
        if changed:
            signature.save()

    for signatory in Signatory.objects.order_by("pk"):
        merge(
            signatory.charter_id,
            signatory.partner_id,
            name=signatory.signer_name,
            title=signatory.signer_title,
            signed_on=signatory.signed_on,
        )
    for declaration in Declaration.objects.order_by("pk"):
        # A declaration's date is its own (kept); only its signer moves.
        merge(
            declaration.charter_id,
            declaration.partner_id,
            name=declaration.signer_name,
            title=declaration.signer_title,
            signed_on=None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("charter", "0004_charterpage_in_force"),
    ]

    operations = [
        migrations.RunPython(move_signers_to_signatures, migrations.RunPython.noop),
        migrations.RemoveField(model_name="declaration", name="signer_name"),
        migrations.RemoveField(model_name="declaration", name="signer_title"),
        migrations.RemoveField(model_name="signatory", name="signed_on"),
        migrations.RemoveField(model_name="signatory", name="signer_name"),
        migrations.RemoveField(model_name="signatory", name="signer_title"),
    ]
