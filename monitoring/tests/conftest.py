"""A small, hand-countable charter built on top of the synthetic charter, and users per role."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from charter.choices import DocumentType
from charter.models import ActionPage, CharterPage, OrientationPage
from charter.selectors import charters_home
from engagements.choices import CommitmentStatus as S
from engagements.models import Commitment
from engagements.tests.factories import MembershipFactory, PartnerFactory, UserFactory
from monitoring.models import ReviewCampaign
from monitoring.services import campaign_open


def _page(parent, page):
    parent.add_child(instance=page)
    return page


@pytest.fixture
def small(db):
    """2 orientations, 3 actions, 3 partners, 7 commitments (see the table in each test)."""
    today = timezone.localdate()
    home = charters_home()
    charter = _page(
        home,
        CharterPage(
            title="Charte de test",
            slug="charte-de-test",
            territory="Testville",
            document_type=DocumentType.CHARTER,
            start_date=datetime.date(2030, 1, 1),
        ),
    )
    o1 = _page(charter, OrientationPage(title="Prévenir", slug="o1", number=1))
    o2 = _page(charter, OrientationPage(title="Accompagner", slug="o2", number=2))
    a1 = _page(o1, ActionPage(title="Informer", slug="a1", number=1, code="1"))
    a2 = _page(o1, ActionPage(title="Signaler", slug="a2", number=2, code="2"))
    a3 = _page(o2, ActionPage(title="Reloger", slug="a3", number=3, code="3"))
    p1 = PartnerFactory(name="Alpha")
    p2 = PartnerFactory(name="Bravo")
    p3 = PartnerFactory(name="Charlie")

    def day(n):
        return today + datetime.timedelta(days=n)

    specs = [
        ("c1", p1, a1, S.ACHIEVED, day(-10)),
        ("c2", p1, a1, S.IN_PROGRESS, day(-5)),
        ("c3", p1, a2, S.BLOCKED, None),
        ("c4", p2, a2, S.NOT_STARTED, day(-1)),
        ("c5", p2, a3, S.ACHIEVED, None),
        ("c6", p3, a3, S.ABANDONED, day(-30)),
        ("c7", p3, a3, S.IN_PROGRESS, day(30)),
    ]
    commitments = {}
    for position, (key, partner, action, status, due) in enumerate(specs, start=1):
        commitments[key] = Commitment.objects.create(
            partner=partner,
            action=action,
            position=position,
            text=f"Engagement {key} du partenaire {partner.name}",
            status=status,
            due_date=due,
            progress=100 if status == S.ACHIEVED else 0,
        )
    return SimpleNamespace(
        charter=charter,
        o1=o1,
        o2=o2,
        a1=a1,
        a2=a2,
        a3=a3,
        p1=p1,
        p2=p2,
        p3=p3,
        today=today,
        day=day,
        **commitments,
    )


def _user_in(group_name, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def secretariat_user(db):
    return _user_in("Secrétariat CCAPEX", "secretariat-ccapex")


@pytest.fixture
def copilot_user(db):
    return _user_in("Co-pilotes", "copilote")


@pytest.fixture
def committee_user(db):
    return _user_in("Membres du comité de suivi", "membre-comite")


@pytest.fixture
def contributor_user(small):
    membership = MembershipFactory(partner=small.p1, user=UserFactory(username="contrib-alpha"))
    membership.user.groups.add(Group.objects.get(name="Contributeurs partenaires"))
    return membership.user


@pytest.fixture
def campaign(small, secretariat_user):
    """The 2030 review of the small charter, opened two days ago, deadline in 7 days."""
    campaign = campaign_open(
        charter=small.charter, year=2030, deadline=small.day(7), user=secretariat_user
    )
    ReviewCampaign.objects.filter(pk=campaign.pk).update(
        opened_at=timezone.now() - datetime.timedelta(days=2)
    )
    campaign.refresh_from_db()
    return campaign
