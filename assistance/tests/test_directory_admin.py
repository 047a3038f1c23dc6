"""The contacts directory in Wagtail: the secretariat edits it, others cannot; an empty listing
says what to fill."""

import pytest
from django.urls import reverse

from assistance.demo import NATIONAL_CONTACTS, load_help_contacts
from assistance.models import Contact, HelpStagePage

from .factories import ContactFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("wagtailsnippets_assistance_contact:list")
ADD_URL = reverse("wagtailsnippets_assistance_contact:add")


def test_an_empty_directory_shows_the_secretariat_what_to_fill(client, secretary):
    Contact.objects.all().delete()
    client.force_login(secretary)
    html = client.get(LIST_URL).content.decode().replace("&#x27;", "'")
    assert "L'annuaire des contacts est vide" in html
    assert "le SIAO et le 115" in html
    assert f'href="{ADD_URL}"' in html


def test_the_secretariat_adds_a_contact_linked_to_stages(client, secretary):
    client.force_login(secretary)
    stage = HelpStagePage.objects.get(title="Le commandement de payer")
    response = client.post(
        ADD_URL,
        {
            "name": "Point-justice de test",
            "what_they_do": "Permanences d'avocats.",
            "phone": "01 23 45 67 89",
            "territory": "Paris",
            "stages": [stage.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get(name="Point-justice de test")
    assert list(contact.stages.all()) == [stage]
    assert "Point-justice de test" in client.get(stage.url).content.decode()


def test_a_bad_phone_in_the_admin_form_changes_nothing(client, secretary):
    client.force_login(secretary)
    count = Contact.objects.count()
    response = client.post(
        ADD_URL,
        {"name": "X", "what_they_do": "Y", "phone": "abc", "territory": "Paris"},
    )
    assert response.status_code == 200
    assert "Saisissez un numéro composé de chiffres" in response.content.decode()
    assert Contact.objects.count() == count


def test_a_partner_contributor_cannot_edit_the_directory(client, contributor):
    contact = ContactFactory()
    client.force_login(contributor)
    assert client.get(LIST_URL).status_code in (302, 403)
    edit_url = reverse("wagtailsnippets_assistance_contact:edit", args=[contact.pk])
    response = client.post(edit_url, {"name": "Piraté", "territory": "x", "what_they_do": "y"})
    assert response.status_code in (302, 403)
    contact.refresh_from_db()
    assert contact.name != "Piraté"


def test_the_demo_ships_only_cited_national_contacts_and_a_second_load_changes_nothing():
    Contact.objects.all().delete()
    load_help_contacts()
    contacts = list(Contact.objects.all())
    assert len(contacts) == len(NATIONAL_CONTACTS)
    for contact in contacts:
        assert contact.source_url.startswith("http"), contact
        assert contact.phone and contact.stages.exists(), contact
        contact.full_clean()
    assert Contact.objects.get(phone="115").stages.filter(title="L'expulsion").exists()

    class Report:
        def __init__(self):
            self.outcomes = []

        def count(self, kind, outcome):
            self.outcomes.append(outcome)

    report = Report()
    load_help_contacts(report=report)
    assert report.outcomes == ["unchanged"] * len(NATIONAL_CONTACTS)
