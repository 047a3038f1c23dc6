"""A partner contributor never reads or changes another partner's commitment, through any URL."""

import csv
import io

import pytest
from django.urls import reverse

from engagements.models import Commitment

pytestmark = pytest.mark.django_db

SNIPPET = "wagtailsnippets_engagements_commitment"
CHOOSER = "wagtailsnippetchoosers_engagements_commitment"


def bulk_url(action: str, *ids) -> str:
    url = reverse("wagtail_bulk_action", args=("engagements", "commitment", action))
    return url + "?" + "&".join(f"id={pk}" for pk in ids)


def refused(response) -> bool:
    """403/404, or Wagtail's answer to PermissionDenied: back to the dashboard with a message."""
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and response["Location"] == "/admin/"


def edit_data(commitment, **overrides):
    data = {
        "status": commitment.status,
        "progress": commitment.progress,
        "narrative": commitment.narrative,
        "evidence_url": commitment.evidence_url,
        "evidence_document": "",
        "owner": "",
        "reason": "",
        "expected_version": commitment.version,
    }
    data.update(overrides)
    return data


@pytest.fixture
def partner_client(client, contributor):
    client.force_login(contributor)
    return client


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage", "inspect", "copy"])
def test_object_views_answer_404_for_another_partners_commitment(
    partner_client, other_commitment, view
):
    url = reverse(f"{SNIPPET}:{view}", args=[other_commitment.pk])
    assert refused(partner_client.get(url))
    before = Commitment.objects.get(pk=other_commitment.pk)
    response = partner_client.post(url, edit_data(other_commitment, progress=55, reason="x"))
    assert refused(response)
    assert Commitment.objects.filter(pk=other_commitment.pk).exists()
    after = Commitment.objects.get(pk=other_commitment.pk)
    assert (after.progress, after.version) == (before.progress, before.version)


@pytest.mark.parametrize("view", ["edit", "history", "usage", "inspect"])
def test_object_views_open_for_the_own_commitment(partner_client, own_commitment, view):
    url = reverse(f"{SNIPPET}:{view}", args=[own_commitment.pk])
    assert partner_client.get(url).status_code == 200


def test_own_commitment_cannot_be_deleted_or_copied(partner_client, own_commitment):
    for view in ("delete", "copy"):
        url = reverse(f"{SNIPPET}:{view}", args=[own_commitment.pk])
        assert refused(partner_client.get(url))
    assert refused(partner_client.post(reverse(f"{SNIPPET}:delete", args=[own_commitment.pk])))
    assert Commitment.objects.filter(pk=own_commitment.pk).exists()
    assert refused(partner_client.get(reverse(f"{SNIPPET}:add")))


def test_revision_urls_do_not_exist_for_commitments(partner_client, other_commitment):
    base = reverse(f"{SNIPPET}:edit", args=[other_commitment.pk]).replace("/edit/", "/")
    for suffix in ("revisions/1/view/", "revisions/1/revert/", "revisions/compare/1...2/"):
        assert partner_client.get(base + suffix).status_code == 404


def test_listing_search_and_export_hold_only_the_own_partners_rows(partner_client, caf, adil):
    url = reverse(f"{SNIPPET}:list")
    response = partner_client.get(url)
    assert response.status_code == 200
    own_count = Commitment.objects.filter(partner=caf).count()
    assert response.context["items_count"] == own_count
    # Filtering on another partner gives nothing, it does not widen the scope.
    assert partner_client.get(url, {"partner": adil.pk}).context["items_count"] == 0
    assert partner_client.get(url, {"q": "ADIL"}).context["items_count"] <= own_count

    export = partner_client.get(url, {"export": "csv"})
    assert export.status_code == 200
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert len(rows) == own_count
    assert {row["Partenaire"] for row in rows} == {str(caf)}
    results = partner_client.get(reverse(f"{SNIPPET}:list_results"))
    assert results.context["items_count"] == own_count


def test_chooser_lists_and_returns_only_the_own_partners_commitments(
    partner_client, own_commitment, other_commitment, caf
):
    response = partner_client.get(reverse(f"{CHOOSER}:choose"))
    assert response.status_code == 200
    results = partner_client.get(reverse(f"{CHOOSER}:choose_results"))
    ids = {item.pk for item in results.context["results"]}
    assert own_commitment.pk in ids
    assert other_commitment.pk not in ids
    chosen = reverse(f"{CHOOSER}:chosen", args=[other_commitment.pk])
    assert partner_client.get(chosen).status_code == 404
    assert partner_client.get(reverse(f"{CHOOSER}:chosen", args=[own_commitment.pk])).status_code
    multiple = reverse(f"{CHOOSER}:chosen_multiple") + f"?id={other_commitment.pk}"
    assert str(other_commitment.pk) not in partner_client.get(multiple).content.decode()


def test_bulk_actions_refuse_another_partners_commitment(
    partner_client, own_commitment, other_commitment
):
    for action in ("delete", "update"):
        assert partner_client.get(bulk_url(action, other_commitment.pk)).status_code == 404
        mixed = bulk_url(action, own_commitment.pk, other_commitment.pk)
        assert partner_client.get(mixed).status_code == 404
        response = partner_client.post(mixed, {"status": "in_progress", "reason": "Lot"})
        assert response.status_code == 404
    assert Commitment.objects.get(pk=other_commitment.pk).status == other_commitment.status
    assert Commitment.objects.get(pk=own_commitment.pk).status == own_commitment.status
    # Deleting the own commitment in bulk is refused too (no delete permission).
    partner_client.post(bulk_url("delete", own_commitment.pk))
    assert Commitment.objects.filter(pk=own_commitment.pk).exists()


def test_partner_and_action_of_the_own_commitment_cannot_be_changed(
    partner_client, own_commitment, other_commitment
):
    url = reverse(f"{SNIPPET}:edit", args=[own_commitment.pk])
    form_fields = set(partner_client.get(url).context["form"].fields)
    assert not form_fields & {"partner", "action", "text", "position", "due_date"}
    data = edit_data(
        own_commitment,
        partner=other_commitment.partner_id,
        action=other_commitment.action_id,
        text="Réécrit par le partenaire",
        due_date="2020-01-01",
        progress=20,
    )
    response = partner_client.post(url, data)
    assert response.status_code == 302
    after = Commitment.objects.get(pk=own_commitment.pk)
    assert after.progress == 20
    assert (after.partner_id, after.action_id, after.text, after.due_date) == (
        own_commitment.partner_id,
        own_commitment.action_id,
        own_commitment.text,
        own_commitment.due_date,
    )


def test_history_cannot_be_rewritten_through_the_django_admin(partner_client):
    assert partner_client.get("/django-admin/").status_code == 302  # not staff: login page
    response = partner_client.get("/django-admin/engagements/historicalcommitment/")
    assert response.status_code in (302, 404)


def test_anonymous_visitors_are_sent_to_the_login_page(client, own_commitment):
    for url in (
        reverse(f"{SNIPPET}:list"),
        reverse(f"{SNIPPET}:edit", args=[own_commitment.pk]),
        reverse("engagements_mine"),
        reverse("engagements_proposals"),
        bulk_url("update", own_commitment.pk),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/admin/login/" in response["Location"]


def test_a_user_without_organisation_sees_no_commitment(client, django_user_model):
    from django.contrib.auth.models import Group

    from charter.roles import PARTNER_CONTRIBUTORS

    orphan = django_user_model.objects.create_user("orphelin", password="x")
    orphan.groups.add(Group.objects.get(name=PARTNER_CONTRIBUTORS))
    client.force_login(orphan)
    assert client.get(reverse(f"{SNIPPET}:list")).context["items_count"] == 0
    assert refused(client.get(reverse("engagements_mine")))


def test_forms_are_csrf_protected(contributor, own_commitment):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(contributor)
    url = reverse(f"{SNIPPET}:edit", args=[own_commitment.pk])
    response = strict.post(url, edit_data(own_commitment, progress=10))
    assert response.status_code == 403
    assert Commitment.objects.get(pk=own_commitment.pk).progress == own_commitment.progress


def test_a_partner_cannot_attach_a_document_it_may_not_choose(partner_client, own_commitment):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    private = get_document_model().objects.create(
        title="Note interne du secrétariat", file=ContentFile(b"interne", name="note.txt")
    )  # root collection: the secretariat's
    url = reverse(f"{SNIPPET}:edit", args=[own_commitment.pk])
    response = partner_client.post(url, edit_data(own_commitment, evidence_document=private.pk))
    assert response.status_code == 200
    assert Commitment.objects.get(pk=own_commitment.pk).evidence_document is None
