"""Two people edit the same commitment: the second save is refused, nothing is overwritten."""

import pytest
from django.test import Client
from django.urls import reverse

from charter.roles import PARTNER_CONTRIBUTORS
from engagements.models import Commitment

from .factories import user_with_role

pytestmark = pytest.mark.django_db


def form_data(response, **changes):
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    data.update(changes)
    return data


def test_the_second_save_is_refused_with_what_changed(own_commitment, caf):
    alice = user_with_role(PARTNER_CONTRIBUTORS, partner=caf, username="alice")
    alice.first_name, alice.last_name = "Alice", "Martin"
    alice.save()
    bob = user_with_role(PARTNER_CONTRIBUTORS, partner=caf, username="bob")
    first, second = Client(), Client()
    first.force_login(alice)
    second.force_login(bob)
    url = reverse("wagtailsnippets_engagements_commitment:edit", args=[own_commitment.pk])

    page_a = first.get(url)
    page_b = second.get(url)  # both opened version 1

    saved = first.post(
        url, form_data(page_a, status="in_progress", progress=40, reason="Démarrage")
    )
    assert saved.status_code == 302

    refused = second.post(url, form_data(page_b, progress=10, narrative="Rien à signaler"))
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "modifié par Alice Martin" in html
    assert "« Non démarré » → « En cours »" in html
    assert "« 0 » → « 40 »" in html
    assert "n&#x27;ont pas été enregistrées" in html or "n'ont pas été enregistrées" in html

    commitment = Commitment.objects.get(pk=own_commitment.pk)
    assert (commitment.status, commitment.progress, commitment.narrative) == (
        "in_progress",
        40,
        "",
    )
    assert commitment.version == 2
    assert commitment.history.latest().history_user == alice

    # Reloaded, Bob's save goes through.
    reloaded = second.get(url)
    assert second.post(url, form_data(reloaded, progress=50)).status_code == 302
    assert Commitment.objects.get(pk=own_commitment.pk).progress == 50


def test_the_form_shows_service_errors_in_french(client, contributor, own_commitment):
    client.force_login(contributor)
    url = reverse("wagtailsnippets_engagements_commitment:edit", args=[own_commitment.pk])
    page = client.get(url)
    response = client.post(url, form_data(page, status="achieved", reason="Fini"))
    assert response.status_code == 200
    assert "demande un justificatif" in response.content.decode()
    response = client.post(url, form_data(page, status="in_progress"))
    assert "Indiquez le motif du changement de statut" in response.content.decode()
    assert Commitment.objects.get(pk=own_commitment.pk).status == "not_started"


def test_the_edit_view_shows_the_timeline_with_names(client, contributor, own_commitment):
    client.force_login(contributor)
    url = reverse("wagtailsnippets_engagements_commitment:edit", args=[own_commitment.pk])
    client.post(url, form_data(client.get(url), status="in_progress", reason="Démarrage <b>"))
    html = client.get(url).content.decode()
    assert "contrib-caf" in html
    assert "Démarrage &lt;b&gt;" in html
    assert "Non démarré → En cours" in html
