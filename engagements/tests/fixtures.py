"""Fixtures of the partner workspace (loaded by the root conftest.py): one user per role."""

import pytest

from charter.models import Partner
from charter.roles import COMMITTEE, COPILOTS, PARTNER_CONTRIBUTORS, SECRETARIAT
from engagements.models import Commitment

from .factories import user_with_role


@pytest.fixture
def caf(db):
    return Partner.objects.get(short_name="CAF")


@pytest.fixture
def adil(db):
    return Partner.objects.get(short_name="ADIL 75")


@pytest.fixture
def own_commitment(caf):
    return Commitment.objects.filter(partner=caf).order_by("pk").first()


@pytest.fixture
def other_commitment(adil):
    return Commitment.objects.filter(partner=adil).order_by("pk").first()


@pytest.fixture
def contributor(caf):
    return user_with_role(PARTNER_CONTRIBUTORS, partner=caf, username="contrib-caf")


@pytest.fixture
def secretary(db):
    return user_with_role(SECRETARIAT, username="secretaire")


@pytest.fixture
def copilot(db):
    return user_with_role(COPILOTS, username="copilote")


@pytest.fixture
def committee_member(db):
    return user_with_role(COMMITTEE, username="membre-comite")
