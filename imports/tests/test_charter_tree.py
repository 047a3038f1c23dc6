"""The one page-tree writer (`imports.tree`): drafts for an import, idempotent published writes
for the demo, on a small invented charter (not the Paris demo)."""

import datetime

import pytest
from wagtail.models import Revision

from charter.choices import SignatoryRole, SignatureStatus
from charter.models import ActionPage, OrientationPage, Partner, Signature
from charter.parsing import parse_document
from charter.selectors import charters_home
from engagements.models import Commitment
from engagements.tests.factories import PartnerFactory
from imports.tree import TreeOptions, charter_tree_write

pytestmark = pytest.mark.django_db

DOCUMENT = """
Charte de Testville de prévention des expulsions locatives

La Préfecture de Testville

ORIENTATION N°1 : PRÉVENIR

Action 2 : Repérer tôt

- Réunir la cellule de Testville
- Écrire aux bailleurs de Testville

La Ville de Testville

ORIENTATION N°1 : PRÉVENIR

Action 2 : Repérer tôt

- Ouvrir un guichet à Testville

Action : Informer

- Publier un guide de Testville

Déclaration de la Ville de Testville

La Ville signe avec une réserve.

Testville, le 2 février 2024

Marie TESTU
La Maire
"""


def _write(document, **options):
    return charter_tree_write(
        home=charters_home(),
        document=document,
        slug="charte-testville",
        values={"title": document.title, "territory": "Testville"},
        options=TreeOptions(**options),
    )


def test_an_import_writes_an_unpublished_draft_with_pending_signatures():
    document = parse_document(DOCUMENT)
    charter, report = _write(document, reason="Import de test")
    assert not charter.live
    orientation = OrientationPage.objects.child_of(charter).get()
    assert not orientation.live and orientation.title == "Prévenir"
    actions = ActionPage.objects.child_of(orientation).order_by("path")
    # A numbered "Action 2" and an unnumbered action read as the second: two pages, two slugs.
    assert [(a.code, a.title, a.slug) for a in actions] == [
        ("2", "Repérer tôt", "action-2"),
        ("2", "Informer", "action-2-2"),
    ]
    assert not actions.filter(live=True).exists()
    commitments = Commitment.objects.filter(action__in=actions)
    assert commitments.count() == report.created["engagements"] == 4
    assert commitments.get(text="Écrire aux bailleurs de Testville").position == 2
    history = commitments.first().history.earliest()
    assert history.history_change_reason == "Import de test"
    assert [s.role for s in charter.signatories.order_by("sort_order")] == [
        SignatoryRole.PARTNER,
        SignatoryRole.PARTNER,
    ]
    (declaration,) = charter.declarations.all()
    assert declaration.partner.name == "Ville de Testville"
    (signature,) = Signature.objects.filter(charter=charter)
    assert (signature.partner, signature.status, signature.signer_name) == (
        declaration.partner,
        SignatureStatus.PENDING,
        "Marie TESTU",
    )
    assert Revision.objects.filter(object_id=str(charter.pk)).count() == 1


def test_a_published_write_twice_changes_nothing_the_second_time():
    document = parse_document(DOCUMENT)
    options = {
        "publish": True,
        "signed_on": datetime.date(2024, 2, 2),
        "copilots": True,
        "update_partners": True,
    }
    charter, first = _write(document, **options)
    assert charter.live and first.changed
    assert [s.role for s in charter.signatories.order_by("sort_order")] == [
        SignatoryRole.COPILOT,  # the first State partner
        SignatoryRole.COPILOT,  # the first local authority
    ]
    signatures = Signature.objects.filter(charter=charter)
    assert {(s.status, s.signed_on) for s in signatures} == {
        (SignatureStatus.SIGNED, datetime.date(2024, 2, 2))
    }
    counts = (Revision.objects.count(), Commitment.history.count(), Partner.objects.count())

    again, second = _write(parse_document(DOCUMENT), **options)

    assert again == charter and not second.changed, second.lines()
    assert second.unchanged["engagements"] == 4
    assert (Revision.objects.count(), Commitment.history.count(), Partner.objects.count()) == counts


@pytest.mark.parametrize("update_partners", [False, True])
def test_an_existing_partner_is_reused_and_updated_only_when_asked(update_partners):
    existing = PartnerFactory(name="Ville de Testville", short_name="VdT", kind="other")
    _write(parse_document(DOCUMENT), update_partners=update_partners)
    existing.refresh_from_db()
    assert Partner.objects.filter(name="Ville de Testville").count() == 1
    expected = ("Ville de Testville", "local_authority") if update_partners else ("VdT", "other")
    assert (existing.short_name, existing.kind) == expected
