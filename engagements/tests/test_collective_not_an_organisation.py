"""« Ensemble des signataires » carries shared commitments; it never signs, declares or has staff.

The collective partner (`PartnerKind.COLLECTIVE`) is offered by no form that picks a signatory,
a declaration's author, a signature or a partner account, and the models refuse it with a French
message, whatever the path (admin form, model validation, service).
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from charter.models import Declaration, PartnerMembership, Signatory, Signature
from charter.roles import SECRETARIAT
from charter.tests.factories import PartnerFactory, charter_page
from engagements.services import partner_contributor_create
from engagements.tests.factories import UserFactory, collective_partner, user_with_role

pytestmark = pytest.mark.django_db

MESSAGE = "Choisissez un organisme : « Ensemble des signataires » désigne tous les signataires"


@pytest.mark.parametrize(
    "build",
    [
        lambda charter, partner: Signatory(charter=charter, partner=partner),
        lambda charter, partner: Declaration(charter=charter, partner=partner, title="T", text="x"),
        lambda charter, partner: Signature(charter=charter, partner=partner),
        lambda charter, partner: PartnerMembership(user=UserFactory(), partner=partner),
    ],
    ids=["signatory", "declaration", "signature", "membership"],
)
def test_the_models_refuse_the_collective_partner_and_accept_an_organisation(build):
    charter = charter_page(slug="charte-collectif")
    with pytest.raises(ValidationError) as refused:
        build(charter, collective_partner()).full_clean()
    assert MESSAGE in " ".join(refused.value.message_dict["partner"])
    build(charter, PartnerFactory()).full_clean()  # an organisation is accepted


def test_the_partner_account_form_refuses_the_collective_partner_in_french(client):
    client.force_login(user_with_role(SECRETARIAT))
    url = reverse("wagtailsnippets_charter_partnermembership:add")
    user = UserFactory()
    response = client.post(url, {"user": user.pk, "partner": collective_partner().pk})
    assert response.status_code == 200  # the form again, with its error
    assert MESSAGE in response.content.decode().replace("&#x27;", "'").replace("&nbsp;", " ")
    assert not PartnerMembership.objects.filter(user=user).exists()
    organisation = PartnerFactory(name="Organisme réel")
    client.post(url, {"user": user.pk, "partner": organisation.pk})
    assert PartnerMembership.objects.get(user=user).partner == organisation


def test_the_charter_form_does_not_offer_the_collective_partner_as_a_signatory():
    charter = charter_page(slug="charte-formulaire")
    form_class = type(charter).get_edit_handler().get_form_class()
    form = form_class(instance=charter, for_user=UserFactory(is_superuser=True))
    signatory_form = form.formsets["signatories"].empty_form
    choices = signatory_form.fields["partner"].queryset
    assert PartnerFactory(name="Organisme signataire") in choices
    assert collective_partner() not in choices


def test_a_partner_account_cannot_be_created_for_the_collective_partner():
    with pytest.raises(ValidationError) as refused:
        partner_contributor_create(
            username="compte-collectif", email="c@example.org", partner=collective_partner()
        )
    assert MESSAGE in " ".join(refused.value.message_dict["partner"])
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="compte-collectif").exists()
