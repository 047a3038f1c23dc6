"""Help for households: one page per procedure stage, its contacts, the help entry everywhere."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import escape

from assistance.models import Contact, HelpIndexPage, HelpStagePage
from assistance.selectors import help_index, help_stages

from .factories import ContactFactory, add_stage

pytestmark = pytest.mark.django_db

# The stages the data migration moved from the home page (pages 0004 wrote them).
MIGRATED_STAGES = [
    "Le premier impayé de loyer",
    "Le commandement de payer",
    "L'assignation devant le juge",
    "L'audience et le jugement",
    "Le commandement de quitter les lieux",
    "Le concours de la force publique",
    "L'expulsion",
]


def test_every_stage_has_its_own_page_in_order():
    index = help_index()
    assert index.url == "/aide/" and index.title == "Locataire en difficulté ?"
    assert [stage.title for stage in help_stages(index=index)] == MIGRATED_STAGES
    assert HelpStagePage.objects.get(title="Le commandement de payer").url == (
        "/aide/le-commandement-de-payer/"
    )


def test_a_stage_page_says_what_to_do_and_lists_its_contacts_with_a_tel_link(client):
    stage = add_stage(title="Étape de test", what_to_do="Appelez la permanence.")
    contact = ContactFactory(
        name="Permanence juridique de test",
        phone="01 23 45 67 89",
        phone_note="appel gratuit",
        address="1 rue de l'Exemple\n75000 Paris",
        website="https://exemple.fr/permanence",
        hours="Lundi et jeudi, 9 h – 12 h",
        stages=[stage],
    )
    ContactFactory(name="Service d'une autre étape")
    html = client.get(stage.url).content.decode()
    assert "<h2>Que faire ?</h2>" in html and "Appelez la permanence." in html
    section = html.split('id="qui-peut-aider"')[1]
    assert escape(contact.name) in section
    assert '<a class="contact-card__phone" href="tel:0123456789">01 23 45 67 89</a>' in section
    assert "1 rue de l&#x27;Exemple<br>75000 Paris" in section
    assert 'href="https://exemple.fr/permanence"' in section
    assert "Lundi et jeudi, 9 h – 12 h" in section and "Département de test" in section
    assert "Service d&#x27;une autre étape" not in section
    assert "pas encore" not in section


def test_stage_numbers_are_shown_once(client):
    stages = help_stages(index=help_index())
    html = client.get(help_index().url).content.decode()
    for number, stage in enumerate(stages, start=1):
        assert f'<span class="help-steps__number">Étape {number}</span>' in html
        page_html = client.get(stage.url).content.decode()
        assert f"Étape {number} sur {len(stages)}" in page_html
    # The title alone, never « 2. Le commandement… » on top of the list's own numbering.
    assert not re.search(r">\s*\d\.\s", html)


def test_an_empty_directory_is_said_honestly(client):
    Contact.objects.all().delete()
    stage = help_stages(index=help_index())[0]
    html = client.get(stage.url).content.decode()
    assert "L'annuaire des contacts n'est pas encore rempli" in html.replace("&#x27;", "'")
    assert 'href="tel:115"' in html
    html = client.get(help_index().url).content.decode()
    assert "L'annuaire des contacts n'est pas encore rempli" in html


def test_a_stage_without_contact_says_so_while_the_directory_has_some(client):
    stage = add_stage(title="Étape sans contact")
    ContactFactory()
    html = client.get(stage.url).content.decode()
    assert "ne compte pas encore de contact pour cette étape" in html


def test_the_help_entry_comes_first_on_the_home_page_and_in_the_menu_footer_and_site_map(client):
    html = client.get("/").content.decode()
    main = html.split('id="contenu"')[1]
    assert main.index('href="/aide/"') < main.index("<h2", main.index("trouver-de-l-aide") + 30)
    assert main.index("Trouver de l'aide") < main.index("La charte en vigueur")
    owners = HelpIndexPage.objects.get().owner_pages[0]
    assert owners.url == "/aide/proprietaire/"
    nav = html.split('id="navigation"')[1].split("</nav>")[0]
    assert re.findall(r'href="([^"]+)"', nav)[1:3] == ["/aide/", "/aide/proprietaire/"]
    footer = html.split('id="pied-de-page"')[1]
    assert 'href="/aide/"' in footer and 'href="/aide/proprietaire/"' in footer
    sitemap = client.get("/plan-du-site/").content.decode()
    for stage in help_stages(index=help_index()):
        assert f'href="{stage.url}"' in sitemap


def test_the_current_menu_item_is_the_owners_page_on_it(client):
    html = client.get("/aide/proprietaire/").content.decode()
    nav = html.split('id="navigation"')[1].split("</nav>")[0]
    assert re.search(r'href="/aide/proprietaire/" aria-current="page"', nav)
    assert not re.search(r'href="/aide/" aria-current', nav)


def test_an_unpublished_stage_is_neither_listed_nor_reachable(client):
    stage = add_stage(title="Étape retirée")
    stage.unpublish()
    assert "Étape retirée" not in client.get(help_index().url).content.decode()
    assert client.get(stage.url).status_code == 404


def test_a_script_in_a_stage_or_a_contact_never_reaches_the_page(client):
    stage = add_stage(
        title="Étape piégée",
        what_to_do='<script>alert("x")</script> [lien](javascript:alert(1))',
    )
    ContactFactory(what_they_do="<img src=x onerror=alert(1)>", stages=[stage])
    html = client.get(stage.url).content.decode()
    assert '<script>alert("x")' not in html and "javascript:alert" not in html
    assert "onerror" not in html.split('id="contenu"')[1] or "&lt;img" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"phone": "appelez-nous"}, "Saisissez un numéro composé de chiffres"),
        ({"phone": "", "address": "", "website": ""}, "Indiquez au moins un moyen de joindre"),
        ({"website": "pas une adresse"}, "URL"),
    ],
)
def test_a_contact_with_bad_details_is_refused_with_a_french_message(fields, message):
    contact = ContactFactory.build(**fields)
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert message in str(error.value) or "Saisissez une URL valide" in str(error.value)


@pytest.mark.parametrize(
    ("phone", "href"),
    [("115", "tel:115"), ("0 805 160 075", "tel:0805160075"), ("+33 1 23 45", "tel:+3312345")],
)
def test_the_phone_link_keeps_digits_and_a_leading_plus(phone, href):
    assert Contact(phone=phone).phone_href == href
