"""Issue #12, admin side: audit trail, snippet choosers and user accounts, role by role."""

import pytest
from django.urls import reverse
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.snippets.models import get_snippet_models

from engagements.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["secretary", "copilot", "committee_member", "contributor"]


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


# --- Item 2: « Historique du site » -------------------------------------------------------------


@pytest.fixture
def logged_commitments(own_commitment, other_commitment):
    """One log entry on the contributor's commitment, one on another partner's, by named users."""
    visible = UserFactory(username="auteur-visible", first_name="Paulin", last_name="Visible")
    hidden = UserFactory(username="auteur-cache", first_name="Zoé", last_name="Confidentielle")
    log(own_commitment, "engagements.comment", user=visible)
    log(other_commitment, "engagements.comment", user=hidden)
    return visible, hidden


@pytest.mark.parametrize(
    "url",
    [
        "/admin/reports/site-history/",
        "/admin/reports/site-history/results/",
        "/admin/reports/site-history/?export=csv",
        "/admin/reports/site-history/?export=xlsx",
    ],
)
def test_site_history_shows_a_contributor_only_its_own_commitments(
    client, contributor, logged_commitments, own_commitment, other_commitment, url
):
    client.force_login(contributor)
    response = client.get(url)
    assert response.status_code == 200
    if url.endswith("xlsx"):
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
        content = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    else:
        content = body(response)
    assert "Confidentielle" not in content
    assert f"{other_commitment}"[:40] not in content
    assert "Paulin Visible" in content


@pytest.mark.parametrize("role", ["secretary", "copilot", "committee_member"])
def test_site_history_is_full_for_the_roles_that_read_every_commitment(
    client, request, role, logged_commitments
):
    client.force_login(request.getfixturevalue(role))
    content = body(client.get("/admin/reports/site-history/?export=csv"))
    assert "Paulin Visible" in content and "Zoé Confidentielle" in content


# --- Item 3: every snippet chooser applies its listing's permission -------------------------------


def snippet_models():
    hooks.search_for_hooks()  # the snippets are registered by the apps' wagtail_hooks modules
    return sorted(get_snippet_models(), key=lambda model: model._meta.label)


def refused(response) -> bool:
    """Wagtail answers a refused admin URL with 403/404 or a redirect to the admin's home."""
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and response["Location"].startswith("/admin/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", snippet_models(), ids=lambda model: model._meta.label)
def test_every_snippet_chooser_applies_its_listings_permission(client, request, role, model):
    client.force_login(request.getfixturevalue(role))
    viewset = model.snippet_viewset
    chooser = viewset.chooser_viewset
    listing = client.get(reverse(viewset.get_url_name("list")))
    listed_ids = (
        {obj.pk for obj in listing.context["page_obj"].paginator.object_list}
        if listing.status_code == 200
        else set()
    )
    hidden = model.objects.exclude(pk__in=listed_ids).order_by("pk").first()
    if listing.status_code != 200:
        assert refused(listing), listing.status_code
    for name in ("choose", "choose_results"):
        response = client.get(reverse(chooser.get_url_name(name)))
        if listing.status_code != 200:
            assert refused(response), (name, response.status_code)
        else:
            assert response.status_code == 200
            offered = response.context["results"].paginator.object_list
            assert {obj.pk for obj in offered} <= listed_ids
    if hidden is not None:
        # An instance the listing does not show can neither be chosen nor named.
        chosen = client.get(reverse(chooser.get_url_name("chosen"), args=[hidden.pk]))
        assert refused(chosen), chosen.status_code
        multiple = client.get(reverse(chooser.get_url_name("chosen_multiple")), {"id": hidden.pk})
        assert refused(multiple) or str(hidden) not in multiple.content.decode()


def test_a_contributor_cannot_choose_committee_decisions_or_partner_accounts(client, contributor):
    client.force_login(contributor)
    for url in (
        "/admin/snippets/choose/monitoring/decision/",
        "/admin/snippets/choose/charter/partnermembership/",
    ):
        assert refused(client.get(url)), url
