"""Public version pages, « Ce qui a changé », DOCX downloads, and the admin views."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from engagements.models import Commitment
from publishing.docx.export import DOCX_CONTENT_TYPE, cache_path
from publishing.models import CharterVersion
from publishing.services import version_create
from publishing.templatetags.publishing_tags import filesize_fr

pytestmark = pytest.mark.django_db


@pytest.fixture
def avenant(version_2017, charter_page, superuser):
    Commitment.objects.for_charter(charter_page).filter(
        pk=Commitment.objects.for_charter(charter_page).order_by("pk").first().pk
    ).update(text="Engagement reformulé par l'avenant")
    return version_create(
        charter=charter_page,
        name="Avenant n°1 2020",
        effective_date=datetime.date(2020, 6, 1),
        user=superuser,
        is_public=True,
    )


@pytest.fixture
def draft_version(charter_page, superuser):
    return version_create(
        charter=charter_page,
        name="Projet d'avenant",
        effective_date=datetime.date(2021, 1, 1),
        user=superuser,
    )


def test_filesize_fr_uses_base_1000_and_a_decimal_comma():
    assert filesize_fr(120_450) == "120,45 ko"
    assert filesize_fr(2_500_000) == "2,50 Mo"
    assert filesize_fr(999) == "999 octets"


def test_public_list_shows_the_version_in_force_and_earlier_ones(
    client, version_2017, avenant, draft_version, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get("/versions/charte-synthetique/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Version en vigueur : <a" in html
    assert "Avenant n°1 2020</a>, depuis le 1er juin 2020" in html
    assert "Charte 2017" in html and "Version antérieure" in html
    assert "Projet d" not in html  # not public


def test_public_version_page_links_the_docx_with_format_and_size(
    client, version_2017, avenant, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get(f"/versions/charte-synthetique/{version_2017.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    size = cache_path(version_2017.fingerprint).stat().st_size
    match = re.search(r"Télécharger la charte \(DOCX – (\d+,\d\d ko)\)", html)
    assert match and match.group(1) == filesize_fr(size)
    assert "Ce n'est pas la version en vigueur" in html
    assert version_2017.fingerprint in html
    assert html.count('<h3 id="action-') == 6


def test_public_docx_download(client, version_2017):
    response = client.get(f"/versions/charte-synthetique/{version_2017.pk}/docx/")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert 'filename="charte-synthetique' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body == cache_path(version_2017.fingerprint).read_bytes()


def test_non_public_versions_are_not_served(client, draft_version):
    for url in (
        f"/versions/charte-synthetique/{draft_version.pk}/",
        f"/versions/charte-synthetique/{draft_version.pk}/docx/",
    ):
        assert client.get(url).status_code == 404
    assert client.get("/versions/inconnue/").status_code == 404


def test_public_changes_page(client, version_2017, avenant, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):  # + the help entries of the menu and footer
        response = client.get("/versions/charte-synthetique/changements/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Ce qui a changé</h1>" in html
    assert "Engagements des partenaires (1 changement)" in html
    assert "<ins>" in html and "reformulé" in html
    same = client.get(
        f"/versions/charte-synthetique/changements/?de={avenant.pk}&a={avenant.pk}"
    ).content.decode()
    assert "Aucune différence de contenu" in same


def test_admin_views_require_login_and_permission(client, django_user_model, version_2017):
    urls = [
        "/admin/charter_versions/",
        "/admin/charter_versions/compare/",
        f"/admin/charter_versions/docx/{version_2017.pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url
    editor = django_user_model.objects.create_user(username="editeur", password="x" * 14)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert not response.get("Content-Disposition")
    group = Group.objects.create(name="Lecteurs des versions")
    group.permissions.add(Permission.objects.get(codename="view_charterversion"))
    editor.groups.add(group)
    editor = django_user_model.objects.get(pk=editor.pk)
    client.force_login(editor)
    assert client.get(urls[2]).status_code == 200


def test_admin_lists_compares_and_downloads(admin_client, version_2017, avenant):
    listing = admin_client.get("/admin/charter_versions/").content.decode()
    assert "Télécharger (DOCX)" in listing and "Comparer deux versions" in listing
    compare = admin_client.get(
        f"/admin/charter_versions/compare/?de={version_2017.pk}&a={avenant.pk}"
    )
    assert compare.status_code == 200
    assert "Engagements des partenaires (1 changement)" in compare.content.decode()
    download = admin_client.get(f"/admin/charter_versions/docx/{avenant.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == DOCX_CONTENT_TYPE


def test_admin_creates_a_version_through_the_service(admin_client, charter_page, version_2017):
    data = {
        "charter": charter_page.pk,
        "name": "Charte 2017",
        "effective_date": "2020-06-01",
        "is_public": "on",
    }
    response = admin_client.post("/admin/charter_versions/new/", data)
    assert response.status_code == 200
    assert "Une version de cette charte porte déjà ce nom." in response.content.decode()
    assert CharterVersion.objects.count() == 1
    data["name"] = "Avenant n°1 2020"
    response = admin_client.post("/admin/charter_versions/new/", data)
    assert response.status_code == 302
    created = CharterVersion.objects.get(name="Avenant n°1 2020")
    assert len(created.fingerprint) == 64 and created.snapshot["version"]["name"] == data["name"]


def test_charter_editor_header_links_the_versions(admin_client, charter_page):
    html = admin_client.get(f"/admin/pages/{charter_page.pk}/edit/").content.decode()
    assert f"/admin/charter_versions/?charter={charter_page.pk}" in html
    listing = admin_client.get(f"/admin/charter_versions/?charter={charter_page.pk}")
    assert listing.status_code == 200


def test_secretariat_group_manages_versions_and_signatures(client, django_user_model, version_2017):
    user = django_user_model.objects.create_user(username="secr", password="x" * 14)
    user.groups.add(Group.objects.get(name="Secrétariat CCAPEX"))
    client.force_login(user)
    assert client.get("/admin/charter_versions/").status_code == 200
    assert client.get("/admin/charter_versions/new/").status_code == 200
    assert client.get(f"/admin/charter_versions/docx/{version_2017.pk}/").status_code == 200
    assert client.get("/admin/signatures/new/").status_code == 200


def test_version_page_links_acronyms_to_its_own_frozen_lexicon(client, charter_page, version_2017):
    version = version_2017
    url = reverse("publishing:version_detail", args=[charter_page.slug, version.pk])
    html = client.get(url).content.decode()
    assert '<a href="#caf" rel="noopener noreferrer"><abbr title="Caisse d' in html
    assert '<tr id="caf"><th scope="row">CAF</th>' in html


def test_freezing_the_charter_in_force_defaults_to_public(admin_client, charter_page, plan):
    from charter.models import CharterPage

    CharterPage.objects.filter(pk=plan.pk).update(in_force=False)
    CharterPage.objects.filter(pk=charter_page.pk).update(in_force=True)

    def initial(query=""):
        form = admin_client.get(f"/admin/charter_versions/new/{query}").context["form"]
        return form["charter"].value(), form["is_public"].value()

    # The one charter in force is proposed, public by default; so from its filtered listing.
    assert initial() == (charter_page.pk, True)
    assert initial(f"?charter={charter_page.pk}") == (charter_page.pk, True)
    listing = admin_client.get(f"/admin/charter_versions/?charter={charter_page.pk}")
    assert f"/admin/charter_versions/new/?charter={charter_page.pk}" in listing.content.decode()
    # Another charter (not in force) keeps the default: not public.
    assert initial(f"?charter={plan.pk}") == (plan.pk, False)
    # Nothing in force: nothing proposed, not public.
    CharterPage.objects.filter(pk=charter_page.pk).update(in_force=False)
    assert initial() == (None, False)
    assert initial("?charter=abc") == (None, False)
