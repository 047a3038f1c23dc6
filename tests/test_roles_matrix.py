"""Each role × each action of the workspace, allowed and refused, through the HTTP client."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from wagtail.models import Collection, Page

from charter.models import CharterPage
from engagements.models import Commitment
from engagements.permissions import SHARED_COLLECTION

pytestmark = pytest.mark.django_db

SNIPPET = "wagtailsnippets_engagements_commitment"
ROLES = ["secretary", "copilot", "committee_member", "contributor", "anonymous"]


@pytest.fixture
def as_role(request, client):
    """A client logged in as the role named by the test parameter."""

    def login(role):
        if role != "anonymous":
            user = request.getfixturevalue(role)
            client.force_login(user)
            return client, user
        return client, AnonymousUser()

    return login


def allowed(response) -> bool:
    return response.status_code == 200


def refused(response) -> bool:
    if response.status_code in (403, 404):
        return True
    return response.status_code == 302 and (
        response["Location"] == "/admin/" or "/admin/login/" in response["Location"]
    )


def check(response, expected: bool):
    assert (allowed if expected else refused)(response), (response.status_code, response)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("secretary", "all"),
        ("copilot", "all"),
        ("committee_member", "all"),
        ("contributor", "own"),
        ("anonymous", None),
    ],
)
def test_listing(as_role, role, expected, caf):
    client, _ = as_role(role)
    response = client.get(reverse(f"{SNIPPET}:list"))
    if expected is None:
        assert refused(response)
        return
    wanted = Commitment.objects.count() if expected == "all" else caf.commitments.count()
    assert response.context["items_count"] == wanted


@pytest.mark.parametrize(
    ("role", "read_other", "edit_other", "edit_own", "add", "delete"),
    [
        ("secretary", True, True, True, True, True),
        ("copilot", True, False, False, False, False),
        ("committee_member", True, False, False, False, False),
        ("contributor", False, False, True, False, False),
        ("anonymous", False, False, False, False, False),
    ],
)
def test_commitment_views(
    as_role, role, read_other, edit_other, edit_own, add, delete, own_commitment, other_commitment
):
    client, _ = as_role(role)
    check(client.get(reverse(f"{SNIPPET}:inspect", args=[other_commitment.pk])), read_other)
    check(client.get(reverse(f"{SNIPPET}:history", args=[other_commitment.pk])), read_other)
    check(client.get(reverse(f"{SNIPPET}:edit", args=[other_commitment.pk])), edit_other)
    check(client.get(reverse(f"{SNIPPET}:edit", args=[own_commitment.pk])), edit_own)
    check(client.get(reverse(f"{SNIPPET}:add")), add)
    check(client.get(reverse(f"{SNIPPET}:delete", args=[own_commitment.pk])), delete)


@pytest.mark.parametrize(
    ("role", "mine", "proposals", "settings"),
    [
        ("secretary", False, True, True),
        ("copilot", False, True, False),
        ("committee_member", False, False, False),
        ("contributor", True, False, False),
        ("anonymous", False, False, False),
    ],
)
def test_workspace_views(as_role, role, mine, proposals, settings):
    client, _ = as_role(role)
    check(client.get(reverse("engagements_mine")), mine)
    check(client.get(reverse("engagements_proposals")), proposals)
    url = reverse("wagtailsettings:edit", args=["engagements", "workspacesettings"])
    response = client.get(url)
    if response.status_code == 302 and response["Location"].startswith("/admin/settings/"):
        response = client.get(response["Location"])
    check(response, settings)


@pytest.mark.parametrize(
    ("role", "edit", "publish"),
    [
        ("secretary", True, True),
        ("copilot", True, True),
        ("committee_member", False, False),
        ("contributor", False, False),
    ],
)
def test_charter_page_permissions(as_role, role, edit, publish, charter_page):
    client, user = as_role(role)
    permissions = charter_page.permissions_for_user(user)
    assert permissions.can_edit() is edit
    assert permissions.can_publish() is publish
    check(client.get(reverse("wagtailadmin_pages:edit", args=[charter_page.pk])), edit)


@pytest.mark.parametrize(
    ("role", "shared", "root"),
    [
        ("secretary", True, True),
        ("copilot", True, False),
        ("committee_member", True, False),
        # A partner adds documents to its own evidence collection only (tests/
        # test_security_documents.py), never to the committee's "Espace collaboratif".
        ("contributor", False, False),
    ],
)
def test_document_collection_permissions(as_role, role, shared, root):
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_document_model())

    client, user = as_role(role)
    collections = permission_policy.collections_user_has_permission_for(user, "add")
    names = set(collections.values_list("name", flat=True))
    assert (SHARED_COLLECTION in names) is shared
    assert (Collection.get_first_root_node().name in names) is root
    if role == "contributor":
        partner_name = user.partner_membership.partner.name
        assert names == {
            f"Justificatifs — {partner_name}",
            f"Justificatifs publiés — {partner_name}",
        }
    check(client.get(reverse("wagtaildocs:add")), True)


def test_roles_exist_with_their_pages_root_permission():
    root = Page.get_first_root_node()
    from wagtail.models import GroupPagePermission

    groups = set(
        GroupPagePermission.objects.filter(page=root).values_list("group__name", flat=True)
    )
    assert groups >= {"Secrétariat CCAPEX", "Co-pilotes"}
    assert not groups & {"Membres du comité de suivi", "Contributeurs partenaires"}
    assert CharterPage.objects.exists()


@pytest.mark.parametrize(
    ("role", "can_comment"),
    [
        ("secretary", True),
        ("copilot", True),
        ("committee_member", True),
        ("contributor", False),
    ],
)
def test_internal_comments(as_role, role, can_comment, own_commitment):
    client, _ = as_role(role)
    url = reverse("engagements_comment", args=[own_commitment.pk])
    response = client.post(url, {"text": "À revoir au prochain comité"})
    assert own_commitment.comments.exists() is can_comment
    inspect = client.get(reverse(f"{SNIPPET}:inspect", args=[own_commitment.pk]))
    assert ("À revoir au prochain comité" in inspect.content.decode()) is can_comment
    if not can_comment:
        assert refused(response)


def test_secretariat_edits_details_through_the_form_as_one_history_row(
    client, secretary, own_commitment
):
    client.force_login(secretary)
    url = reverse(f"{SNIPPET}:edit", args=[own_commitment.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in data.items()}
    data.update(text="Libellé corrigé", due_date="2027-06-30", reason="Correction du libellé")
    rows = own_commitment.history.count()
    assert client.post(url, data).status_code == 302
    commitment = Commitment.objects.get(pk=own_commitment.pk)
    assert (commitment.text, str(commitment.due_date)) == ("Libellé corrigé", "2027-06-30")
    assert commitment.history.count() == rows + 1
    assert commitment.history.latest().history_change_reason == "Correction du libellé"


def test_listings_query_counts_do_not_grow_with_rows(
    client, contributor, secretary, own_commitment, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url, params):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, params).status_code == 200
        return len(queries)

    client.force_login(contributor)
    mine = reverse("engagements_mine")
    # Fourteen rows cost at most the one query that fetches the page's rows, not one per row.
    many, none = {"status": "not_started"}, {"status": "achieved"}
    assert count(mine, many) <= count(mine, none) + 1
    with django_assert_max_num_queries(40):
        client.get(mine)
    client.force_login(secretary)
    listing = reverse(f"{SNIPPET}:list")
    assert count(listing, many) <= count(listing, none) + 1
    with django_assert_max_num_queries(45):
        client.get(listing)
