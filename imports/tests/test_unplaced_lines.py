"""« À placer »: every line a charter import could not place is kept and resolved in the admin."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from charter.models import ActionPage, CharterPage
from charter.parsing import parse_document
from engagements.models import Commitment
from imports.choices import UnplacedStatus
from imports.models import UnplacedLine
from imports.services import (
    charter_import_save,
    unplaced_assign,
    unplaced_discard,
    unplaced_to_preamble,
)

DOCUMENT = """
Charte de prévention des expulsions du Cantal

Engagements de la Caisse d'allocations familiales (CAF)

Axe I : Prévenir le plus tôt possible

Action 1 : Repérer les impayés

- Signaler les impayés dès le deuxième mois

Lexique

CAF : Caisse d'allocations familiales

Une phrase égarée après le lexique, que le lecteur ne sait pas où ranger.
"""


@pytest.fixture
def imported(secretary):
    document = parse_document(DOCUMENT)
    assert document.unplaced, "the document must leave a line unplaced"
    charter = charter_import_save(document=document, filename="cantal.txt", user=secretary)
    return charter, document


def test_a_confirmed_import_keeps_every_unplaced_line(imported):
    charter, document = imported
    lines = list(UnplacedLine.objects.filter(charter=charter))
    assert [line.text for line in lines] == [item.text for item in document.unplaced]
    assert all(line.status == UnplacedStatus.TO_PLACE for line in lines)
    assert lines[-1].location == f"ligne {document.unplaced[-1].line}"
    assert lines[-1].import_record.filename == "cantal.txt"


def test_assign_creates_a_commitment_after_the_partners_last_one(imported, secretary):
    charter, _ = imported
    line = UnplacedLine.objects.filter(charter=charter).last()
    action = ActionPage.objects.descendant_of(charter).get()
    existing = Commitment.objects.get(action=action)
    placed = unplaced_assign(line=line, action=action, partner=existing.partner, user=secretary)
    assert placed.status == UnplacedStatus.ASSIGNED
    assert placed.commitment.text == line.text
    assert placed.commitment.position == existing.position + 1
    assert placed.resolved_by == secretary and placed.resolved_at is not None
    assert placed.commitment.history.get().history_change_reason.startswith("Ligne importée")
    assert ModelLogEntry.objects.filter(action="imports.unplaced").count() == 1
    with pytest.raises(ValidationError, match="déjà été traitée"):
        unplaced_discard(line=line, user=secretary)


def test_assign_refuses_an_action_of_another_charter(imported, secretary, charter_page, caf):
    charter, _ = imported
    line = UnplacedLine.objects.filter(charter=charter).last()
    other_action = ActionPage.objects.descendant_of(charter_page).first()
    with pytest.raises(ValidationError, match="charte d'où vient"):
        unplaced_assign(line=line, action=other_action, partner=caf, user=secretary)
    line.refresh_from_db()
    assert line.status == UnplacedStatus.TO_PLACE


def test_preamble_appends_the_line_in_a_new_draft_revision(imported, secretary):
    charter, _ = imported
    line = UnplacedLine.objects.filter(charter=charter).last()
    revisions = charter.revisions.count()
    unplaced_to_preamble(line=line, user=secretary)
    charter = CharterPage.objects.get(pk=charter.pk)
    assert charter.revisions.count() == revisions + 1
    draft = charter.get_latest_revision_as_object()
    assert draft.introduction.endswith(line.text)
    assert not charter.live


def test_only_the_import_roles_resolve_lines(imported, contributor, copilot, committee_member):
    charter, _ = imported
    line = UnplacedLine.objects.filter(charter=charter).last()
    for user in (contributor, copilot, committee_member):
        with pytest.raises(PermissionDenied):
            unplaced_discard(line=line, user=user)
    line.refresh_from_db()
    assert line.status == UnplacedStatus.TO_PLACE


def _urls(line):
    return [
        reverse("imports_unplaced:index"),
        reverse("imports_unplaced:index_results"),
        reverse("imports_unplaced:edit", args=[line.pk]),
        reverse("imports_unplaced:discard", args=[line.pk]),
        reverse("imports_unplaced:history", args=[line.pk]),
        reverse("imports_unplaced:usage", args=[line.pk]),
    ]


def test_every_url_is_closed_to_partners_and_committee(
    imported, client, contributor, copilot, committee_member
):
    charter, _ = imported
    line = UnplacedLine.objects.filter(charter=charter).last()
    for user in (contributor, copilot, committee_member):
        client.force_login(user)
        for url in _urls(line):
            response = client.get(url)
            assert response.status_code in (302, 403), (user, url, response.status_code)
        assert client.post(reverse("imports_unplaced:discard", args=[line.pk])).status_code in (
            302,
            403,
        )
        assert client.get(reverse("imports_unplaced:add")).status_code in (302, 403)
        assert client.get(reverse("imports_unplaced:delete", args=[line.pk])).status_code in (
            302,
            403,
        )
    line.refresh_from_db()
    assert line.status == UnplacedStatus.TO_PLACE


def test_the_secretariat_lists_and_places_a_line_in_the_admin(imported, client, secretary):
    charter, _ = imported
    line = UnplacedLine.objects.filter(charter=charter).last()
    client.force_login(secretary)
    listing = client.get(reverse("imports_unplaced:index"))
    assert listing.status_code == 200
    assert line.location.capitalize() in listing.content.decode()
    # Nobody adds or deletes a line: no such button, and the views refuse.
    assert client.get(reverse("imports_unplaced:add")).status_code in (302, 403)
    assert client.get(reverse("imports_unplaced:delete", args=[line.pk])).status_code in (302, 403)
    page = client.get(reverse("imports_unplaced:edit", args=[line.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert line.text in html and "Écarter cette ligne" in html
    # Assigning without an action says what is missing, in French, and changes nothing.
    response = client.post(
        reverse("imports_unplaced:edit", args=[line.pk]), {"resolution": "assign"}
    )
    assert response.status_code == 200
    assert "Choisissez l&#x27;action de cet engagement." in response.content.decode()
    line.refresh_from_db()
    assert line.status == UnplacedStatus.TO_PLACE
    action = ActionPage.objects.descendant_of(charter).get()
    partner = Commitment.objects.get(action=action).partner
    response = client.post(
        reverse("imports_unplaced:edit", args=[line.pk]),
        {"resolution": "assign", "action": action.pk, "partner": partner.pk},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.status == UnplacedStatus.ASSIGNED
    assert Commitment.objects.filter(action=action).count() == 2
    # Resolved: listed under its state, never placed twice.
    edit_url = reverse("imports_unplaced:edit", args=[line.pk])
    listing = client.get(reverse("imports_unplaced:index")).content.decode()
    assert f'href="{edit_url}"' not in listing
    listing = client.get(reverse("imports_unplaced:index") + "?status=assigned").content.decode()
    assert f'href="{edit_url}"' in listing
    response = client.post(
        reverse("imports_unplaced:edit", args=[line.pk]), {"resolution": "preamble"}
    )
    assert response.status_code == 302
    assert Commitment.objects.filter(action=action).count() == 2


def test_discarding_asks_for_confirmation_first(imported, client, secretary):
    charter, _ = imported
    line = UnplacedLine.objects.filter(charter=charter).last()
    client.force_login(secretary)
    url = reverse("imports_unplaced:discard", args=[line.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Ce choix est définitif" in page.content.decode()
    line.refresh_from_db()
    assert line.status == UnplacedStatus.TO_PLACE
    assert client.post(url).status_code == 302
    line.refresh_from_db()
    assert line.status == UnplacedStatus.DISCARDED
    assert line.resolved_by == secretary


def test_the_admin_upload_says_how_many_lines_are_left_to_place(client, secretary):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(secretary)
    upload = SimpleUploadedFile("cantal.txt", DOCUMENT.encode())
    response = client.post(
        "/admin/imports/charte/", {"file": upload, "title": "", "territory": "Cantal"}
    )
    response = client.post(
        "/admin/imports/charte/", {"payload": response.context["payload"]}, follow=True
    )
    html = response.content.decode()
    charter = CharterPage.objects.get(territory="Cantal")
    assert "1 ligne à placer" in html
    assert f"/admin/imports/a-placer/?charter={charter.pk}" in html
