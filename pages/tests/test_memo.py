"""The menu, the help entries and the home page's content are read once per content change
(pages/memo.py, issue 19), and every change shows on the next render."""

import datetime
import re

import pytest
from django.utils.html import escape

from assistance.models import HelpIndexPage
from charter.models import Signatory
from charter.services import charter_reopen_drafting
from charter.tests.factories import PartnerFactory
from charter.tests.factories import charter_page as new_charter
from core.cache_scopes import SITE
from engagements.choices import CommitmentStatus
from engagements.models import Commitment
from engagements.services import commitment_change_status
from pages import memo
from pages.cache import bump_generation
from pages.models import SiteSettings
from pages.selectors import site_frame_links
from publishing.docx.export import export_docx
from publishing.docx.pdf import engine, pdf_cache_path

pytestmark = pytest.mark.django_db


def menu(html: str) -> str:
    return html.split('id="navigation"')[1].split("</nav>")[0]


def footer(html: str) -> str:
    return html.split('id="pied-de-page"')[1]


@pytest.mark.parametrize("theme", ["dsfr", "neutral"])
def test_the_home_page_read_again_costs_wagtails_routing_only(
    client, charter_page, theme, settings, django_assert_num_queries, django_assert_max_num_queries
):
    settings.SITE_THEME = theme
    with django_assert_max_num_queries(17):  # the first render reads everything (14 queries)
        first = client.get("/")
    # Then Wagtail's routing only: the site, the page, its aliases' paths, its view
    # restrictions (was 14: the menu, help entries, site settings and home content each time).
    with django_assert_num_queries(4):
        second = client.get("/")
    assert second.content == first.content


def test_a_published_help_page_title_shows_in_the_menu_footer_and_home_at_once(client, superuser):
    client.get("/")
    client.get("/lexique/")
    index = HelpIndexPage.objects.get().specific
    index.title = "Locataire : besoin d'aide ?"
    index.save_revision(user=superuser).publish(user=superuser)

    for path in ("/", "/lexique/"):
        html = client.get(path).content.decode()
        assert "Locataire : besoin d&#x27;aide ?</a>" in menu(html), path
        assert "Locataire : besoin d&#x27;aide ?</a>" in footer(html), path
    assert "<strong>Locataire : besoin d&#x27;aide ?</strong>" in client.get("/").content.decode()


def test_an_unpublished_help_page_leaves_the_menu_at_once(client, superuser):
    assert 'href="/aide/"' in menu(client.get("/lexique/").content.decode())
    HelpIndexPage.objects.get().unpublish(user=superuser)
    html = client.get("/lexique/").content.decode()
    assert 'href="/aide/"' not in menu(html)
    assert 'href="/aide/"' not in footer(html)


def test_a_newer_charter_published_becomes_the_homes_and_the_menus_at_once(client, charter_page):
    assert charter_page.url in menu(client.get("/").content.decode())
    newer = new_charter(
        slug="charte-nouvelle", title="Charte nouvelle", start_date=datetime.date(2031, 1, 1)
    )
    html = client.get("/").content.decode()
    assert f'<a href="{newer.url}">Charte nouvelle</a>' in html
    assert f'href="{newer.url}">La charte</a>' in menu(html)
    # The former charter is now among the other documents.
    assert f'<a href="{charter_page.url}">{charter_page.title}</a> —' in html


def test_a_signatory_changed_shows_on_the_home_page_at_once(client, charter_page):
    signatory = Signatory.objects.filter(charter=charter_page, role="partner").first()
    name = escape(signatory.partner.name)
    assert f"{name}</a></li>" in client.get("/").content.decode()
    signatory.role = "copilot"
    signatory.save()  # a charter's scope: not the « site » generation
    assert f"{name}</a> (co-pilote)</li>" in client.get("/").content.decode()


def test_a_renamed_partner_shows_on_the_home_page_at_once(client, charter_page):
    partner = Signatory.objects.filter(charter=charter_page).first().partner
    client.get("/")
    partner.name = "Partenaire renommé pour le test"
    partner.save()
    assert "Partenaire renommé pour le test</a>" in client.get("/").content.decode()


def test_a_commitment_change_leaves_the_menu_in_memory_and_shows_on_its_pages(
    client, superuser, charter_page, django_assert_num_queries
):
    commitment = (
        Commitment.objects.for_charter(charter_page)
        .filter(status=CommitmentStatus.NOT_STARTED)
        .select_related("action")
        .first()
    )
    client.get("/lexique/")
    with django_assert_num_queries(0):
        memo_links = site_frame_links()
    commitment_change_status(
        commitment=commitment,
        user=superuser,
        status=CommitmentStatus.ABANDONED,
        reason="Test : la mémoire du menu",
    )
    # A commitment bumps its charter's and partner's generations, not the site's: same menu.
    with django_assert_num_queries(0):
        assert site_frame_links() is memo_links
    html = client.get(commitment.action.url).content.decode()
    item = re.search(rf'<li id="engagement-{commitment.pk}">(.*?)</li>', html, re.S).group(1)
    assert "badge--abandoned" in item


def test_a_change_made_while_a_value_is_read_is_read_again_next_time():
    reads = []

    def read():
        reads.append(1)
        bump_generation({SITE})  # another server commits a change during this read
        return len(reads)

    kept = memo.GenerationMemo("test")
    assert kept.get("key", (SITE,), read) == 1
    assert kept.get("key", (SITE,), lambda: 2) == 2  # read again: the first may predate the change
    assert kept.get("key", (SITE,), lambda: 3) == 2


def test_without_a_cache_server_the_value_is_read_each_time(monkeypatch):
    monkeypatch.setattr(memo, "request_generations", lambda scopes: None)
    kept = memo.GenerationMemo("test")
    assert kept.get("key", (SITE,), lambda: 1) == 1
    assert kept.get("key", (SITE,), lambda: 2) == 2


def test_a_partner_added_as_signatory_shows_on_the_home_page_at_once(client, charter_page):
    client.get("/")
    partner = PartnerFactory(name="Nouveau signataire du test")
    Signatory.objects.create(charter=charter_page, partner=partner, sort_order=99)
    assert "Nouveau signataire du test</a></li>" in client.get("/").content.decode()


def test_each_page_has_its_menu_item_current_and_the_search_box_its_query(client):
    def current(html: str) -> list[str]:
        return re.findall(r'<a [^>]*href="([^"]+)"[^>]* aria-current="(?:page|true)"', menu(html))

    for _ in range(2):  # rendered, then stored: the same
        assert current(client.get("/").content.decode()) == ["/"]
        assert current(client.get("/lexique/").content.decode()) == ["/lexique/"]
        searched = client.get("/recherche/?q=expulsion").content.decode()
        assert 'id="recherche-entete" name="q" value="expulsion"' in searched
        assert 'id="recherche-entete" name="q" value=""' in client.get("/").content.decode()


def test_the_site_settings_changed_show_in_the_header_and_footer_at_once(client):
    client.get("/")
    site_settings = SiteSettings.load()
    site_settings.publisher_name = "Préfecture de Testville"
    site_settings.service_tagline = "Devise changée pour le test"
    site_settings.save()
    html = client.get("/").content.decode()
    assert "Devise changée pour le test" in html.split("</header>")[0]
    assert "<strong>Préfecture de Testville</strong>" in footer(html)


def test_the_pdf_size_shows_on_the_home_page_once_the_pdf_is_made(client, public_version):
    if engine() is None:
        pytest.skip("LibreOffice absent : le PDF n'est pas proposé")
    html = client.get("/").content.decode()
    assert "Télécharger la charte (PDF/A)</a>" in html
    docx = export_docx(public_version.snapshot, fingerprint=public_version.fingerprint)
    pdf = pdf_cache_path(docx.path)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(b"%PDF-1.7" + b"0" * 2992)  # what LibreOffice leaves on the first download
    try:
        assert "Télécharger la charte (PDF/A – 3,00 ko)</a>" in client.get("/").content.decode()
    finally:
        pdf.unlink()


def test_a_charter_life_cycle_step_shows_on_the_home_page_at_once(client, charter_page):
    assert "Avenant en préparation" not in client.get("/").content.decode()
    charter_reopen_drafting(charter=charter_page, user=None)  # an amendment: a direct update
    assert (
        "<li>Avenant en préparation : projet en rédaction</li>" in client.get("/").content.decode()
    )
