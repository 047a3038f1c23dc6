"""The partner contributor's journey (issue 14): no dead end, one list, back where they were."""

import datetime
import html
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from engagements.choices import CommitmentStatus, ProposalStatus
from engagements.models import Commitment, CommitmentProposal, WorkspaceSettings
from engagements.services import (
    commitment_proposal_return,
    commitment_proposal_validate,
    commitment_propose_update,
)

from .factories import CommitmentFactory
from .test_concurrency import form_data

pytestmark = pytest.mark.django_db

SNIPPET = "wagtailsnippets_engagements_commitment"
BULK_UPDATE = reverse("wagtail_bulk_action", args=("engagements", "commitment", "update"))
BULK_DELETE = reverse("wagtail_bulk_action", args=("engagements", "commitment", "delete"))
MINE = reverse("engagements_mine")


@pytest.fixture
def mine(caf):
    """Three commitments of the contributor's partner, with a known text and due date."""
    return [
        CommitmentFactory(
            partner=caf,
            text=f"Former les agents d'accueil au repérage des impayés, vague {n} du plan",
            due_date=datetime.date(2027, 6, 30),
            position=900 + n,
        )
        for n in (1, 2, 3)
    ]


@pytest.fixture
def partner_client(contributor):
    client = Client()
    client.force_login(contributor)
    return client


@pytest.fixture
def validation_on(db):
    settings = WorkspaceSettings.load()
    settings.require_validation = True
    settings.save()


def edit_url(commitment, next_url=None):
    url = reverse(f"{SNIPPET}:edit", args=[commitment.pk])
    return f"{url}?next={next_url}" if next_url else url


# 1. No dead end: nobody is offered an action they cannot use.


def test_the_bulk_bar_offers_delete_only_to_users_who_may_delete(partner_client, superuser):
    listing = partner_client.get(reverse(f"{SNIPPET}:list")).content.decode()
    assert BULK_UPDATE in listing
    assert BULK_DELETE not in listing
    admin = Client()
    admin.force_login(superuser)
    assert BULK_DELETE in admin.get(reverse(f"{SNIPPET}:list")).content.decode()


def test_a_contributor_sees_no_delete_button_nor_actions_menu(partner_client, mine):
    edit = partner_client.get(edit_url(mine[0])).content.decode()
    assert reverse(f"{SNIPPET}:delete", args=[mine[0].pk]) not in edit
    home = partner_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("actions:index") not in home  # the « Actions » listing refuses them
    assert partner_client.get(reverse("actions:index")).status_code in (302, 403)
    assert MINE in home


# 2. One list with bulk update; edit and bulk update come back to it.


def test_my_commitments_selects_commitments_for_the_bulk_update(partner_client, mine):
    page = partner_client.get(MINE, {"status": "not_started"}).content.decode()
    assert f'action="{BULK_UPDATE}"' in page
    for commitment in mine:
        assert f'name="id" value="{commitment.pk}"' in page
    here = "/admin/mes-engagements/?status=not_started"
    assert f'name="next" value="{here}"' in page
    assert "?next=%2Fadmin%2Fmes-engagements%2F%3Fstatus%3Dnot_started" in page  # edit links


def test_saving_from_my_commitments_returns_there(partner_client, mine):
    back = "/admin/mes-engagements/?status=not_started"
    url = edit_url(mine[0], "%2Fadmin%2Fmes-engagements%2F%3Fstatus%3Dnot_started")
    form = partner_client.get(url)
    assert form.context["action_url"].endswith(
        "?next=%2Fadmin%2Fmes-engagements%2F%3Fstatus%3Dnot_started"
    )
    response = partner_client.post(
        url, form_data(form, status="in_progress", progress=10, reason="Lancement")
    )
    assert response.status_code == 302
    assert response["Location"] == back


def test_an_outside_next_is_ignored(partner_client, mine):
    url = edit_url(mine[0], "https://exemple.invalid/piege")
    response = partner_client.post(url, form_data(partner_client.get(url), progress=5))
    assert response.status_code == 302
    assert response["Location"] == reverse(f"{SNIPPET}:list")


def test_the_bulk_update_returns_to_my_commitments(partner_client, mine):
    ids = "&".join(f"id={c.pk}" for c in mine)
    url = f"{BULK_UPDATE}?{ids}&next=/admin/mes-engagements/%3Fp%3D1"
    page = partner_client.get(url)
    versions = page.context["form"]["versions"].value()
    response = partner_client.post(
        url, {"status": "in_progress", "progress": 20, "reason": "Revue", "versions": versions}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/mes-engagements/?p=1"
    assert Commitment.objects.filter(pk__in=[c.pk for c in mine], progress=20).count() == 3


# 3. The edit form.


def test_the_edit_form_shows_the_full_text_the_action_and_the_due_date(partner_client, mine):
    page = partner_client.get(edit_url(mine[0])).content.decode()
    assert mine[0].text in page  # whole, not cut mid-word
    assert html.escape(mine[0].action.title) in page
    assert "30 juin 2027" in page
    assert "Expected version" not in page
    assert "Expected" not in re.sub(r"<script.*?</script>", "", page, flags=re.S)


def test_the_status_list_offers_only_the_allowed_transitions(partner_client, mine):
    form = partner_client.get(edit_url(mine[0])).context["form"]
    values = [value for value, _label in form.fields["status"].widget.choices]
    assert values == ["not_started", "in_progress", "achieved", "abandoned"]
    help_text = form.fields["status"].help_text.replace("\u00a0", " ")
    assert "« Bloqué » : passez d'abord par « En cours »" in help_text
    Commitment.objects.filter(pk=mine[1].pk).update(status=CommitmentStatus.IN_PROGRESS)
    form = partner_client.get(edit_url(mine[1])).context["form"]
    values = [value for value, _label in form.fields["status"].widget.choices]
    assert values == ["in_progress", "achieved", "blocked", "abandoned"]
    page = partner_client.get(edit_url(mine[1])).content.decode()
    assert 'value="not_started"' not in page
    assert "Bloqué" not in form.fields["status"].help_text.split("proposés.")[1]


def test_the_success_message_names_the_next_step(partner_client, mine):
    url = edit_url(mine[0], MINE)
    response = partner_client.post(
        url,
        form_data(partner_client.get(url), status="in_progress", progress=30, reason="Go"),
        follow=True,
    )
    text = response.content.decode()
    assert "Prochaine étape" in text
    assert "« Réalisé » avec un justificatif" in text


# 4. Filters.


def test_filters_are_labelled_and_booleans_read_yes_no_all(partner_client, mine):
    form = partner_client.get(MINE).context["filters"].form
    action_labels = [label for _value, label in form.fields["action"].choices][1:]
    orientation_labels = [label for _value, label in form.fields["orientation"].choices][1:]
    assert action_labels and all("Action " in label for label in action_labels)
    assert all("Orientation " in label and " · " in label for label in orientation_labels)
    assert len(set(orientation_labels)) == len(orientation_labels)  # no two alike
    assert all(len(label) <= 90 for label in action_labels)
    overdue = [label for _value, label in form.fields["overdue"].choices]
    assert overdue == ["Tous", "Oui", "Non"]
    assert "Inconnu" not in partner_client.get(MINE).content.decode()


# 5. Validation mode.


def test_the_partner_is_told_before_saving_that_it_will_be_a_proposal(
    validation_on, partner_client, mine
):
    page = partner_client.get(edit_url(mine[0])).content.decode()
    assert "Mode validation" in page
    assert "proposition" in page


def test_reopening_shows_the_pending_proposal(validation_on, partner_client, mine):
    url = edit_url(mine[0])
    partner_client.post(
        url, form_data(partner_client.get(url), status="in_progress", progress=45, reason="Lancé")
    )
    assert CommitmentProposal.objects.filter(commitment=mine[0]).exists()
    reopened = partner_client.get(url)
    form = reopened.context["form"]
    assert form["status"].value() == "in_progress"
    assert form["progress"].value() == 45
    assert "attend la validation" in reopened.content.decode()
    assert Commitment.objects.get(pk=mine[0].pk).progress == 0  # still the published values


def _proposal(commitment, user, **values):
    defaults = {
        "status": "in_progress",
        "progress": 25,
        "narrative": "",
        "reason": "Lancement",
        "expected_version": commitment.version,
    }
    return commitment_propose_update(commitment=commitment, user=user, **{**defaults, **values})


def test_the_proposer_is_emailed_when_validated_or_returned(
    validation_on, contributor, copilot, mine, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILADMIN_BASE_URL = "https://charte.exemple.fr"
    settings.DEFAULT_FROM_EMAIL = "charte@exemple.fr"
    contributor.email = "contrib@exemple.fr"
    contributor.save()
    first, second, third = (_proposal(c, contributor) for c in mine)

    with django_capture_on_commit_callbacks(execute=True):
        commitment_proposal_validate(proposal=first, user=copilot)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.from_email) == (["contrib@exemple.fr"], "charte@exemple.fr")
    assert "validée" in message.subject
    assert "https://charte.exemple.fr/admin/mes-engagements/" in message.body
    assert "127.0.0.1" not in message.body
    assert "Il vous reste 2 propositions en attente" in message.body

    with django_capture_on_commit_callbacks(execute=True):
        commitment_proposal_return(proposal=second, user=copilot, comment="Chiffre à sourcer")
    body = mail.outbox[1].body
    assert "renvoy" in mail.outbox[1].subject
    assert "Chiffre à sourcer" in body
    assert (
        f"https://charte.exemple.fr/admin/snippets/engagements/commitment/edit/{mine[1].pk}/"
        in body
    )
    assert "Il vous reste 1 proposition en attente" in body
    assert "(s)" not in body

    with django_capture_on_commit_callbacks(execute=True):
        commitment_proposal_validate(proposal=third, user=copilot)
    assert "plus aucune proposition en attente" in mail.outbox[2].body
    assert CommitmentProposal.objects.filter(review_status=ProposalStatus.PENDING).count() == 0


def test_a_refused_review_sends_nothing(
    validation_on, contributor, copilot, mine, django_capture_on_commit_callbacks
):
    contributor.email = "contrib@exemple.fr"
    contributor.save()
    proposal = _proposal(mine[0], contributor)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        commitment_proposal_return(proposal=proposal, user=copilot, comment="")
    assert mail.outbox == []


# 6. Bulk « Réalisé » without evidence names every failing commitment.


def test_bulk_achieved_without_evidence_names_each_commitment(partner_client, mine):
    ids = "&".join(f"id={c.pk}" for c in mine)
    url = f"{BULK_UPDATE}?{ids}&next={MINE}"
    versions = partner_client.get(url).context["form"]["versions"].value()
    response = partner_client.post(
        url, {"status": "achieved", "reason": "Terminé", "versions": versions}
    )
    assert response.status_code == 200
    page = response.content.decode()
    for commitment in mine:
        assert html.escape(str(commitment)) in page
    assert not Commitment.objects.filter(pk__in=[c.pk for c in mine], status="achieved").exists()


def test_the_commitment_listing_filters_are_labelled_too(partner_client, mine):
    listing = partner_client.get(reverse(f"{SNIPPET}:list")).content.decode()
    assert "Inconnu" not in listing
    assert "Orientation 1 — " in listing


def test_my_commitments_query_count_does_not_grow_with_rows(
    partner_client, caf, mine, django_assert_max_num_queries
):
    partner_client.get(MINE)  # warm the session and the settings caches
    with django_assert_max_num_queries(30) as queries:  # 27 measured
        partner_client.get(MINE)
    before = len(queries)
    for n in range(10):
        CommitmentFactory(partner=caf, position=950 + n)
    with django_assert_max_num_queries(before):
        partner_client.get(MINE)
