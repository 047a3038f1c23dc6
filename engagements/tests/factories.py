"""factory_boy factories for the engagements tests."""

import factory
from django.contrib.auth import get_user_model

from charter.models import ActionPage, PartnerMembership
from charter.tests.factories import PartnerFactory
from engagements.models import Commitment, CommitmentComment

__all__ = [
    "CommentFactory",
    "CommitmentFactory",
    "MembershipFactory",
    "PartnerFactory",
    "SharedCommitmentFactory",
    "UserFactory",
    "collective_partner",
    "commitment_update_as",
    "user_with_role",
]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"agent{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerMembership

    user = factory.SubFactory(UserFactory)
    partner = factory.SubFactory(PartnerFactory)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    partner = factory.SubFactory(PartnerFactory)
    action = factory.LazyFunction(lambda: ActionPage.objects.order_by("path").first())
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Engagement de test n°{n}")


class SharedCommitmentFactory(CommitmentFactory):
    """A commitment shared with other partners: `co_partners=[...]` (default: one new partner)."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def co_partners(self, create, extracted, **kwargs):
        if not create:
            return
        self.co_partners.set(extracted if extracted is not None else [PartnerFactory()])


def collective_partner():
    """« Ensemble des signataires », created by the migration engagements 0014."""
    from charter.choices import COLLECTIVE_PARTNER_SLUG
    from charter.models import Partner

    return Partner.objects.get(slug=COLLECTIVE_PARTNER_SLUG)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitmentComment

    commitment = factory.SubFactory(CommitmentFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Commentaire de test n°{n}")


def user_with_role(role: str, *, partner=None, username=None):
    """A user in one of the workspace's groups (and, for contributors, a partner member)."""
    from django.contrib.auth.models import Group

    user = UserFactory(**({"username": username} if username else {}))
    user.groups.add(Group.objects.get(name=role))
    if partner is not None:
        from engagements.documents import membership_documents_sync

        PartnerMembership.objects.create(user=user, partner=partner)
        membership_documents_sync(user=user)  # its partner's documents group, as in the admin
    return user


def commitment_update_as(commitment, user, **overrides):
    """`commitment_update` with the commitment's current values, but for `overrides`."""
    from engagements.services import commitment_update

    values = {
        "status": commitment.status,
        "progress": commitment.progress,
        "narrative": commitment.narrative,
        "evidence_document": commitment.evidence_document,
        "evidence_url": commitment.evidence_url,
        "reason": "",
        "expected_version": commitment.version,
    }
    values.update(overrides)
    return commitment_update(commitment=commitment, user=user, **values)
