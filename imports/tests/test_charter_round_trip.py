"""Export → import is the identity: the platform's own DOCX (and its PDF) read back gives the same
partners and short names, orientations, actions, commitments, lexicon, declarations, signatories
and préambule, and none of the export's furniture (sommaire, fingerprint, signature blocks)."""

import pytest
from django.core.management import call_command

from charter.models import ActionPage, OrientationPage
from charter.parsing.cleanup import strip_emphasis
from engagements.models import Commitment
from imports.parsing import charter_document
from imports.services import charter_import_save


def snapshot(charter, *, plain: bool = False) -> dict:
    """Every field the import writes; `plain`: Markdown emphasis removed (a PDF has none)."""
    actions = ActionPage.objects.descendant_of(charter)
    commitments = Commitment.objects.filter(action__in=actions)
    return {
        "introduction": strip_emphasis(charter.introduction) if plain else charter.introduction,
        "orientations": sorted(
            (o.number, o.title) for o in OrientationPage.objects.child_of(charter)
        ),
        "actions": sorted((a.code, a.number, a.title) for a in actions),
        "commitments": sorted(
            commitments.values_list("partner__name", "action__code", "position", "text")
        ),
        "partners": sorted(
            set(commitments.values_list("partner__name", "partner__short_name"))
            | set(charter.signatories.values_list("partner__name", "partner__short_name"))
        ),
        "lexicon": sorted(charter.lexicon_entries.values_list("term", "definition")),
        "declarations": sorted(
            (name, title, strip_emphasis(text) if plain else text, place, signed_on)
            for name, title, text, place, signed_on in charter.declarations.values_list(
                "partner__name", "title", "text", "place", "signed_on"
            )
        ),
        "signatories": list(
            charter.signatories.order_by("sort_order").values_list("partner__name", "role")
        ),
        "co_partners": sorted(
            (
                c.partner.name,
                c.action.code,
                c.position,
                tuple(sorted(p.name for p in c.co_partners.all())),
            )
            for c in commitments.filter(co_partners__isnull=False).distinct()
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["docx", "pdf"])
def test_export_then_import_is_the_identity(charter_page, tmp_path, extension):
    # One commitment shared with another partner, one of all the signatories (issue 17).
    from charter.choices import COLLECTIVE_PARTNER_SLUG
    from charter.models import Partner

    shared, other = Commitment.objects.filter(action__path__startswith=charter_page.path).order_by(
        "pk"
    )[:2]
    partner = charter_page.signatories.exclude(partner=shared.partner).first().partner
    shared.co_partners.set([partner])
    other.partner = Partner.objects.get(slug=COLLECTIVE_PARTNER_SLUG)
    other.position = 1
    other.save()
    path = tmp_path / f"export.{extension}"
    call_command("export_charter_docx", "--output", str(path), "--charter", charter_page.slug)
    document = charter_document(filename=path.name, data=path.read_bytes())
    copy = charter_import_save(
        document=document, filename=path.name, user=None, title="Copie", territory="Testville"
    )
    # A PDF keeps no bold or italic: its Markdown emphasis cannot come back.
    plain = extension == "pdf"
    got, expected = snapshot(copy, plain=plain), snapshot(charter_page, plain=plain)
    for key in expected:
        assert got[key] == expected[key], key
    # The short names are read from the document, not taken from the partners already stored.
    short_names = {p.name: p.short_name for p in document.partners}
    # (« Tous les signataires » is not a partner of the document: its heading is « Engagements
    # partagés ».)
    named = {name: short for name, short in expected["partners"] if short != "Tous les signataires"}
    assert short_names == named
    assert (
        got["co_partners"]
        and ("Ensemble des signataires", "Tous les signataires") in got["partners"]
    )
    # Nothing of the export's furniture is imported, nor listed « À placer ».
    texts = " ".join(item.text for item in document.unplaced)
    for furniture in ("Sommaire", "Empreinte", "SHA-256", "Signature et cachet", "Fait à"):
        assert furniture not in copy.introduction and furniture not in texts
