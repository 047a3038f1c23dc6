"""The synthetic charter every test runs on holds what the suites rely on (tests/synthetic.py)."""

import pytest
from django.utils import timezone

from charter.choices import DocumentType, PartnerKind, SignatoryRole, SignatureStatus
from charter.models import ActionPage, OrientationPage, Partner
from engagements.choices import CommitmentStatus
from engagements.models import Commitment
from glossary.models import LexiconEntry

pytestmark = pytest.mark.django_db


def test_the_charter_is_small_public_and_in_force(charter_page):
    assert charter_page.live and charter_page.in_force
    assert charter_page.document_type == DocumentType.CHARTER
    orientations = OrientationPage.objects.child_of(charter_page)
    assert sorted(orientations.values_list("number", flat=True)) == [1, 2, 3]
    actions = ActionPage.objects.descendant_of(charter_page)
    assert sorted(actions.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert not actions.filter(live=False).exists()


def test_commitments_in_every_status_some_overdue(charter_page, caf, adil):
    commitments = Commitment.objects.for_charter(charter_page)
    assert commitments.count() == 20
    assert set(commitments.values_list("status", flat=True)) == set(CommitmentStatus.values)
    assert commitments.overdue(timezone.localdate()).count() == 4
    assert commitments.filter(partner=caf).count() == 6
    assert commitments.filter(partner=adil).count() == 4
    first_three = commitments.filter(partner=caf).order_by("pk")[:3]
    assert {(c.status, c.due_date) for c in first_three} == {(CommitmentStatus.NOT_STARTED, None)}


def test_partners_signatories_and_signatures(charter_page):
    # Six partners, and the migrations' collective partner « Ensemble des signataires ».
    assert Partner.objects.exclude(kind=PartnerKind.COLLECTIVE).count() == 6
    assert {p.short_name for p in Partner.objects.all()} >= {"CAF", "ADIL 75"}
    roles = list(charter_page.signatories.values_list("role", flat=True))
    assert len(roles) == 6 and roles.count(SignatoryRole.COPILOT) == 2
    records = charter_page.signature_records()
    assert len(records) == 6
    assert {r.status for r in records.values()} == {SignatureStatus.SIGNED}
    assert charter_page.declarations.get().partner.short_name == "UPT"
    assert LexiconEntry.objects.filter(charter=charter_page).count() == 7


def test_the_plan_has_linked_fiches_and_indicators(plan):
    assert plan.document_type == DocumentType.PLAN and plan.live
    fiches = ActionPage.objects.descendant_of(plan)
    assert sorted(fiches.values_list("code", flat=True)) == ["3-1", "3-2", "3-3", "3-4"]
    fiche_31 = fiches.get(code="3-1")
    assert sorted(a.code for a in fiche_31.related_actions.all()) == ["3-2", "3-3", "3-4"]
    assert fiches.get(code="3-3").indicators.get().name == "Création de la cellule technique"
