"""Shared commitments: one porteur in the figures, co-partners and signatories read and update
them through every admin URL (issue 17)."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from charter.choices import COLLECTIVE_PARTNER_SLUG, PartnerKind
from charter.models import ActionPage, Partner
from charter.roles import PARTNER_CONTRIBUTORS
from engagements.choices import CommitmentStatus
from engagements.models import Commitment
from engagements.selectors import commitment_figures, commitment_figures_by
from tests.synthetic import CHARTER_SLUG

from .factories import (
    CommitmentFactory,
    PartnerFactory,
    SharedCommitmentFactory,
    collective_partner,
    commitment_update_as,
    user_with_role,
)

pytestmark = pytest.mark.django_db

SNIPPET = "wagtailsnippets_engagements_commitment"


def charter_action():
    return ActionPage.objects.filter(path__startswith=_charter_path()).order_by("path").last()


def _charter_path():
    from charter.models import CharterPage

    return CharterPage.objects.get(slug=CHARTER_SLUG).path


@pytest.fixture
def shared(adil, caf):
    """Porté par ADIL 75, shared with CAF."""
    return SharedCommitmentFactory(
        partner=adil,
        action=charter_action(),
        position=90,
        co_partners=[caf],
        text="Engagement ADIL et CAF",
    )


@pytest.fixture
def collective(db):
    """Made by all the synthetic charter's signatories."""
    return CommitmentFactory(
        partner=collective_partner(),
        action=charter_action(),
        position=91,
        text="Les signataires s'engagent",
    )


@pytest.fixture
def outsider(db):
    """A contributor of a partner that signs no charter."""
    return user_with_role(PARTNER_CONTRIBUTORS, partner=PartnerFactory(), username="dehors")


def test_the_migration_created_one_collective_partner_that_signs_nothing():
    partner = Partner.objects.get(slug=COLLECTIVE_PARTNER_SLUG)
    assert partner.kind == PartnerKind.COLLECTIVE
    assert str(partner) == "Tous les signataires"
    assert not partner.signatory_entries.exists()
    assert not partner.memberships.exists()


def test_a_shared_commitment_is_counted_once_under_its_porteur(shared, collective, caf, adil):
    everything = Commitment.objects.all()
    per_partner = commitment_figures_by(everything, "partner")
    total = commitment_figures(everything)
    assert sum(f.total for f in per_partner.values()) == total.total
    assert per_partner[adil.pk].total == Commitment.objects.filter(partner=adil).count()
    assert per_partner[caf.pk].total == Commitment.objects.filter(partner=caf).count()
    assert per_partner[collective.partner_id].total == 1


def test_shared_with_names_the_other_owners(shared, collective, caf, adil):
    third = PartnerFactory(short_name="DRIHL", name="DRIHL test")
    shared.co_partners.add(third)
    assert shared.shared_with(partner_id=caf.pk) == "avec ADIL 75 et DRIHL"
    assert shared.shared_with(partner_id=adil.pk) == "avec CAF et DRIHL"
    assert shared.shared_with() == "avec ADIL 75, CAF et DRIHL"
    assert collective.shared_with(partner_id=caf.pk) == "avec l'ensemble des signataires"
    assert shared.is_shared and collective.is_shared


def test_co_partner_changes_are_in_the_history(shared, caf):
    record = shared.history.latest()
    assert [row.partner_id for row in record.co_partners.all()] == [caf.pk]


def test_a_co_partner_reads_and_updates_the_shared_commitment(client, contributor, shared):
    client.force_login(contributor)
    for view in ("edit", "history", "inspect"):
        url = reverse(f"{SNIPPET}:{view}", args=[shared.pk])
        assert client.get(url).status_code == 200, view
    response = client.post(
        reverse(f"{SNIPPET}:edit", args=[shared.pk]),
        {
            "status": CommitmentStatus.IN_PROGRESS,
            "progress": 30,
            "narrative": "Réunion commune.",
            "evidence_url": "",
            "evidence_document": "",
            "owner": "",
            "reason": "Lancement commun",
            "expected_version": shared.version,
        },
    )
    assert response.status_code == 302
    shared.refresh_from_db()
    assert (shared.status, shared.progress) == (CommitmentStatus.IN_PROGRESS, 30)


def test_a_co_partner_bulk_updates_the_shared_commitment(client, contributor, shared):
    client.force_login(contributor)
    url = reverse("wagtail_bulk_action", args=("engagements", "commitment", "update"))
    url += f"?id={shared.pk}&next=/admin/mes-engagements/"
    page = client.get(url)
    assert page.status_code == 200
    versions = page.context["form"]["versions"].value()
    response = client.post(
        url, {"status": "in_progress", "progress": 20, "reason": "Lot", "versions": versions}
    )
    assert response.status_code == 302
    assert Commitment.objects.get(pk=shared.pk).progress == 20


def test_the_workspace_lists_shared_and_collective_commitments_with_a_badge(
    client, contributor, shared, collective, caf
):
    client.force_login(contributor)
    page = client.get(reverse("engagements_mine"))
    assert page.status_code == 200
    listed = {c.pk for c in page.context["page_obj"]}
    assert {shared.pk, collective.pk} <= listed
    # Its own figures stay its own (figures per porteur).
    assert page.context["total"] == Commitment.objects.filter(partner=caf).count()
    html = page.content.decode()
    assert "partagé" in html
    assert "porté par ADIL 75, avec CAF" in html
    assert "engagement de l'ensemble des signataires" in html


def test_a_signatory_reads_but_does_not_update_the_collective_commitment(
    client, contributor, collective, secretary
):
    client.force_login(contributor)
    assert client.get(reverse(f"{SNIPPET}:history", args=[collective.pk])).status_code == 200
    edit = client.get(reverse(f"{SNIPPET}:edit", args=[collective.pk]))
    assert edit.status_code in (302, 403)
    with pytest.raises(PermissionDenied):
        commitment_update_as(collective, contributor, progress=10, reason="x")
    assert Commitment.objects.get(pk=collective.pk).progress == 0
    # The secretariat updates it (co-pilots validate proposals, as for every commitment).
    commitment_update_as(Commitment.objects.get(pk=collective.pk), secretary, progress=10)
    assert Commitment.objects.get(pk=collective.pk).progress == 10


def test_a_non_signatory_or_another_partner_sees_neither(
    client, outsider, shared, collective, contributor
):
    upt = Partner.objects.get(short_name="UPT")
    other = user_with_role(PARTNER_CONTRIBUTORS, partner=upt, username="contrib-upt")
    client.force_login(outsider)
    for view in ("edit", "history"):
        for commitment in (shared, collective):
            url = reverse(f"{SNIPPET}:{view}", args=[commitment.pk])
            assert client.get(url).status_code in (302, 404), (view, commitment)
    client.force_login(other)
    assert client.get(reverse(f"{SNIPPET}:edit", args=[shared.pk])).status_code in (302, 404)
    assert client.get(reverse(f"{SNIPPET}:history", args=[collective.pk])).status_code == 200
    listing = client.get(reverse(f"{SNIPPET}:list"))
    ids = {c.pk for c in listing.context["object_list"]}
    assert collective.pk in ids and shared.pk not in ids


def test_the_admin_search_finds_the_shared_commitment_for_its_owners_only(
    client, contributor, shared
):
    url = reverse(f"{SNIPPET}:list")
    client.force_login(contributor)
    found = client.get(url, {"q": "Engagement ADIL"}).context["object_list"]
    assert shared.pk in {c.pk for c in found}
    upt = Partner.objects.get(short_name="UPT")
    client.force_login(user_with_role(PARTNER_CONTRIBUTORS, partner=upt, username="upt-2"))
    found = client.get(url, {"q": "Engagement ADIL"}).context["object_list"]
    assert shared.pk not in {c.pk for c in found}


def test_the_partner_page_lists_shared_commitments_with_their_porteur(
    client, shared, collective, caf, django_assert_max_num_queries
):
    page = client.get(reverse("engagements_public:partner", kwargs={"slug": caf.slug}))
    html = page.content.decode()
    assert "Engagements partagés" in html
    assert "Engagement ADIL et CAF" in html
    assert re.search(r"Porté par <a [^>]*>ADIL 75</a>, avec CAF\b", html)
    assert "Engagement de <a" in html and "l'ensemble des signataires</a>" in html
    # Counted under their porteur, not here.
    assert page.context["figures"].total == Commitment.objects.filter(partner=caf).count()
    adil_page = client.get(reverse("engagements_public:partner", kwargs={"slug": "adil-75"}))
    assert "avec CAF" in adil_page.content.decode()

    # More shared commitments cost no more queries.
    url = reverse("engagements_public:partner", kwargs={"slug": caf.slug})
    with django_assert_max_num_queries(100) as queries:
        client.get(url)
    before = len(queries)
    for position in range(92, 96):
        SharedCommitmentFactory(
            partner=shared.partner, action=shared.action, position=position, co_partners=[caf]
        )
    with django_assert_max_num_queries(before):
        client.get(url)


def test_the_matrix_marks_the_co_partners_cell(
    client, shared, collective, caf, charter_page, django_assert_max_num_queries
):
    url = reverse("engagements_public:matrix", kwargs={"charter_slug": charter_page.slug})
    page = client.get(url)
    html = page.content.decode()
    assert html.count("Engagement ADIL et CAF") == 2  # the grid and the list view
    assert f'partagé<span class="visually-hidden"> : engagement n° {shared.pk}' in html
    assert "Tous les signataires" in html  # the collective's column
    with django_assert_max_num_queries(100) as queries:
        client.get(url)
    before = len(queries)
    for position in range(92, 96):
        SharedCommitmentFactory(
            partner=shared.partner, action=shared.action, position=position, co_partners=[caf]
        )
    with django_assert_max_num_queries(before):
        client.get(url)


def test_the_secretariat_sets_co_partners_in_the_admin_form(client, secretary, contributor, caf):
    commitment = Commitment.objects.filter(partner__short_name="ADIL 75").order_by("pk").first()
    url = reverse(f"{SNIPPET}:edit", args=[commitment.pk])
    client.force_login(secretary)
    form = client.get(url).context["form"]
    choices = form.fields["co_partners"].queryset
    assert caf in choices and commitment.partner not in choices
    assert not choices.filter(kind=PartnerKind.COLLECTIVE).exists()
    data = {
        "partner": commitment.partner_id,
        "action": commitment.action_id,
        "position": commitment.position,
        "text": commitment.text,
        "due_date": commitment.due_date.isoformat() if commitment.due_date else "",
        "co_partners": [caf.pk],
        "status": commitment.status,
        "progress": commitment.progress,
        "narrative": commitment.narrative,
        "internal_note": commitment.internal_note,
        "evidence_url": commitment.evidence_url,
        "evidence_document": "",
        "owner": "",
        "reason": "Engagement commun avec la CAF",
        "expected_version": commitment.version,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert list(commitment.co_partners.all()) == [caf]
    assert commitment.history.latest().history_change_reason == "Engagement commun avec la CAF"
    # The porteur cannot be its own co-partner: nothing changes.
    data.update(
        co_partners=[caf.pk, commitment.partner_id],
        expected_version=Commitment.objects.get(pk=commitment.pk).version,
    )
    assert client.post(url, data).status_code == 200
    assert list(commitment.co_partners.all()) == [caf]
    # A contributor's form has no such field.
    client.force_login(contributor)
    assert "co_partners" not in client.get(url).context["form"].fields


def test_the_collective_partner_s_page_and_listing_name_it_once(client, collective):
    """« Ensemble des signataires », not « Ensemble des signataires (Tous les signataires) »."""
    partner = collective.partner
    html = client.get(reverse("engagements_public:partner", kwargs={"slug": partner.slug}))
    html = html.content.decode()
    assert re.search(r"<h1[^>]*>Ensemble des signataires</h1>", html)
    assert "Les engagements que tous les signataires de la charte prennent ensemble." in html
    listing = client.get(reverse("engagements_public:partner_list")).content.decode()
    assert "Ensemble des signataires" in listing
    assert "(Tous les signataires)" not in listing
