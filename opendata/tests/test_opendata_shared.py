"""Open data and API of shared commitments: `partenaire` is the porteur, `partenaires_associes`
the co-partners (issue 17)."""

import csv
import io

import pytest

from charter.models import ActionPage
from engagements.models import Commitment
from engagements.tests.factories import (
    CommitmentFactory,
    PartnerFactory,
    SharedCommitmentFactory,
    collective_partner,
)
from opendata.schemas import field_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(adil, caf, charter_page):
    action = ActionPage.objects.filter(path__startswith=charter_page.path).order_by("path").last()
    return SharedCommitmentFactory(partner=adil, action=action, position=90, co_partners=[caf])


@pytest.fixture
def collective(charter_page):
    action = ActionPage.objects.filter(path__startswith=charter_page.path).order_by("path").last()
    return CommitmentFactory(partner=collective_partner(), action=action, position=91)


def test_open_data_and_api_give_the_porteur_and_the_co_partners(
    client, shared, collective, caf, adil
):
    third = PartnerFactory(slug="drihl-test")
    shared.co_partners.add(third)
    api = client.get("/api/v2/engagements/?partenaire=adil-75&limit=100").json()
    rows = {row["id"]: row for row in api["items"]}
    assert rows[shared.pk]["partenaire"] == "adil-75"
    assert rows[shared.pk]["partenaires_associes"] == "caf;drihl-test"
    assert {row["partenaires_associes"] for pk, row in rows.items() if pk != shared.pk} == {""}
    text = client.get("/donnees/engagements.csv").content.decode()
    records = list(csv.DictReader(io.StringIO(text)))
    by_id = {int(r["id"]): r for r in records}
    assert by_id[collective.pk]["partenaire"] == "signataires"
    assert by_id[shared.pk]["partenaires_associes"] == "caf;drihl-test"
    # Every commitment once: the records add up to the public total.
    assert len(records) == Commitment.objects.public().count()
    names = field_names("engagements")
    assert names.index("partenaires_associes") == names.index("partenaire_nom") + 1
