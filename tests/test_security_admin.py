"""Issue #12, admin side: audit trail, snippet choosers and user accounts, role by role."""

import pytest
from wagtail.log_actions import log

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
