"""Documents (issue #12, items 4, 8 and 15b): each partner's evidence and the committee's notes.

Partner A never lists, chooses, edits, downloads or attaches partner B's documents or the
committee's; the DEBUG media route serves no document; documents are never in a shared cache.
Documents are uploaded through Wagtail's own upload view, as a user would.
"""

import importlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import clear_url_caches, reverse
from wagtail.documents import get_document_model

from charter.models import PartnerMembership
from charter.roles import PARTNER_CONTRIBUTORS
from engagements.models import Commitment
from engagements.tests.factories import user_with_role
from tests.test_security_commitments import edit_data

pytestmark = pytest.mark.django_db

SNIPPET = "wagtailsnippets_engagements_commitment"
MEMBERSHIP = "wagtailsnippets_charter_partnermembership"


def upload(user, title: str, content: bytes = b"contenu", collection=None):
    """Upload a document through /admin/documents/add/ as `user`: into `collection`, else a
    partner member's private « Justificatifs » (its form offers the public one too), else the
    one collection Wagtail picks."""
    from engagements.models import PartnerDocumentSpace

    client = Client()
    client.force_login(user)
    name = title.lower().replace(" ", "-") + ".txt"
    data = {"title": title, "file": SimpleUploadedFile(name, content, "text/plain")}
    if collection is None:
        space = PartnerDocumentSpace.objects.filter(partner__memberships__user=user).first()
        collection = space.collection if space else None
    if collection is not None:
        data["collection"] = collection.pk
    response = client.post(reverse("wagtaildocs:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return get_document_model().objects.get(title=title)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def downloaded(client, document) -> bool:
    response = client.get(document.url)
    if response.status_code != 200:
        return False
    return b"".join(response.streaming_content) != b""


@pytest.fixture
def user_a(caf):
    return user_with_role(PARTNER_CONTRIBUTORS, partner=caf, username="contrib-a")


@pytest.fixture
def user_b(adil):
    return user_with_role(PARTNER_CONTRIBUTORS, partner=adil, username="contrib-b")


@pytest.fixture
def doc_a(user_a):
    return upload(user_a, "Justificatif de la CAF")


@pytest.fixture
def doc_b(user_b):
    return upload(user_b, "Justificatif de l'ADIL")


@pytest.fixture
def committee_doc(committee_member):
    return upload(committee_member, "Note interne du comite")


@pytest.fixture
def commitment_a(caf):
    return Commitment.objects.filter(partner=caf).order_by("pk").first()


# Item 4 — the shared collection -----------------------------------------------------------------


def test_partner_a_lists_and_chooses_only_its_own_documents(user_a, doc_a, doc_b, committee_doc):
    client = logged_in(user_a)
    for url in (reverse("wagtaildocs:index"), reverse("wagtaildocs_chooser:choose")):
        html = client.get(url).content.decode()
        assert doc_a.title in html, url
        assert "Justificatif de l&#x27;ADIL" not in html and doc_b.title not in html, url
        assert committee_doc.title not in html, url
    results = client.get(reverse("wagtaildocs_chooser:choose_results"), {"q": "Justificatif"})
    assert doc_b.title not in results.content.decode().replace("&#x27;", "'")
    for document in (doc_b, committee_doc):
        chosen = client.get(reverse("wagtaildocs_chooser:chosen", args=[document.pk]))
        assert chosen.status_code in (302, 403, 404)
        assert document.title not in chosen.content.decode()
    assert client.get(reverse("wagtaildocs_chooser:chosen", args=[doc_a.pk])).status_code == 200


def test_partner_a_cannot_edit_or_see_the_usage_of_others_documents(
    user_a, doc_a, doc_b, committee_doc
):
    client = logged_in(user_a)
    for document in (doc_b, committee_doc):
        for view in ("wagtaildocs:edit", "wagtaildocs:document_usage", "wagtaildocs:delete"):
            response = client.get(reverse(view, args=[document.pk]))
            assert response.status_code in (302, 403, 404), view
            assert document.title not in response.content.decode(), view
    assert client.get(reverse("wagtaildocs:edit", args=[doc_a.pk])).status_code == 200


def test_downloads_follow_the_organisation_and_the_committee(
    user_a, doc_a, doc_b, committee_doc, copilot, committee_member, secretary, client
):
    partner_a = logged_in(user_a)
    assert downloaded(partner_a, doc_a)
    assert not downloaded(partner_a, doc_b)
    assert not downloaded(partner_a, committee_doc)
    for reader in (copilot, committee_member, secretary):
        reader_client = logged_in(reader)
        assert downloaded(reader_client, doc_b), reader.username
        assert downloaded(reader_client, committee_doc), reader.username
    assert not downloaded(client, doc_a)  # anonymous


def test_partner_a_cannot_attach_b_or_committee_documents(
    user_a, commitment_a, doc_b, committee_doc
):
    client = logged_in(user_a)
    url = reverse(f"{SNIPPET}:edit", args=[commitment_a.pk])
    for document in (doc_b, committee_doc):
        response = client.post(url, edit_data(commitment_a, evidence_document=document.pk))
        assert response.status_code == 200
        assert Commitment.objects.get(pk=commitment_a.pk).evidence_document is None


def test_partner_a_attaches_its_own_document(user_a, commitment_a, doc_a):
    client = logged_in(user_a)
    url = reverse(f"{SNIPPET}:edit", args=[commitment_a.pk])
    response = client.post(url, edit_data(commitment_a, evidence_document=doc_a.pk))
    assert response.status_code == 302
    assert Commitment.objects.get(pk=commitment_a.pk).evidence_document == doc_a


def test_the_service_refuses_evidence_outside_the_partners_collection(
    secretary, commitment_a, doc_a, doc_b, committee_doc
):
    from django.core.exceptions import ValidationError

    from engagements.services import commitment_update

    for document in (doc_b, committee_doc):
        with pytest.raises(ValidationError) as raised:
            commitment_update(
                commitment=commitment_a,
                user=secretary,
                status=commitment_a.status,
                progress=commitment_a.progress,
                narrative=commitment_a.narrative,
                evidence_document=document,
                reason="",
                expected_version=commitment_a.version,
            )
        assert "n'appartient pas aux justificatifs du partenaire" in str(raised.value)
        assert Commitment.objects.get(pk=commitment_a.pk).evidence_document is None


def test_moving_a_member_to_another_partner_moves_its_document_rights(
    user_a, doc_a, doc_b, secretary, adil
):
    membership = PartnerMembership.objects.get(user=user_a)
    response = logged_in(secretary).post(
        reverse(f"{MEMBERSHIP}:edit", args=[membership.pk]),
        {"user": user_a.pk, "partner": adil.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client = logged_in(user_a)
    assert downloaded(client, doc_b)
    assert not downloaded(client, doc_a)


def test_the_data_migration_moves_evidence_into_its_partners_collection(caf, commitment_a):
    from django.apps import apps
    from wagtail.models import Collection

    from engagements.models import PartnerDocumentSpace

    migration = importlib.import_module("engagements.migrations.0008_partner_document_spaces")
    shared = Collection.objects.get(name="Espace collaboratif")
    evidence = get_document_model().objects.create(
        title="Ancien justificatif", file=ContentFile(b"x", name="ancien.txt"), collection=shared
    )
    Commitment.objects.filter(pk=commitment_a.pk).update(evidence_document=evidence)

    migration.create_spaces(apps, None)

    space = PartnerDocumentSpace.objects.get(partner=caf)
    evidence.refresh_from_db()
    assert evidence.collection_id == space.collection_id
    migration.create_spaces(apps, None)  # idempotent
    assert PartnerDocumentSpace.objects.filter(partner=caf).count() == 1


# Item 8 — the DEBUG media route ------------------------------------------------------------------


@pytest.fixture
def debug_urls(settings, tmp_path):
    import config.urls

    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_the_debug_media_route_refuses_documents(debug_urls, client, user_a, tmp_path):
    document = upload(user_a, "Piece privee", b"secret")
    path = document.file.name  # documents/piece-privee.txt
    assert (tmp_path / path).exists()
    for url in (f"/media/{path}", f"/media/images/../{path}", f"/media/./{path}"):
        response = client.get(url)
        assert response.status_code == 404, url
    (tmp_path / "exports" / "docx").mkdir(parents=True)
    (tmp_path / "exports" / "docx" / "x.docx").write_bytes(b"docx")
    assert client.get("/media/exports/docx/x.docx").status_code == 404
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.png").write_bytes(b"png")
    assert client.get("/media/images/logo.png").status_code == 200


# Item 15b — private caching -----------------------------------------------------------------------


def test_document_responses_are_private_and_never_in_the_page_cache(
    settings, client, user_a, doc_a, committee_member
):
    settings.PUBLIC_CACHE_SECONDS = 600
    response = logged_in(user_a).get(doc_a.url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]

    public = get_document_model().objects.create(
        title="Plaquette publique", file=ContentFile(b"public", name="plaquette.txt")
    )  # root collection: no view restriction
    for _ in range(2):
        response = client.get(public.url)
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]
        assert "X-Cache" not in response  # the public page cache never saw it
    refused = client.get(doc_a.url)  # anonymous: sent to the login page, privately too
    assert "private" in refused["Cache-Control"]


def test_a_partner_created_then_deleted_in_the_admin_gets_then_loses_its_rights(secretary):
    from django.contrib.auth.models import Group

    from charter.models import Partner
    from engagements.models import PartnerDocumentSpace

    admin = logged_in(secretary)
    created = admin.post(
        reverse("wagtailsnippets_charter_partner:add"),
        {"name": "Association Essai", "short_name": "AE", "slug": "ae", "kind": "other"},
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    partner = Partner.objects.get(slug="ae")
    space = PartnerDocumentSpace.objects.get(partner=partner)
    member = user_with_role(PARTNER_CONTRIBUTORS, partner=partner, username="contrib-ae")
    assert member.groups.filter(pk=space.group_id).exists()
    document = upload(member, "Piece AE")
    assert document.collection_id == space.collection_id

    deleted = admin.post(reverse("wagtailsnippets_charter_partner:delete", args=[partner.pk]))
    assert deleted.status_code == 302
    assert not Group.objects.filter(pk=space.group_id).exists()
    space.collection.refresh_from_db()
    assert space.collection.name.endswith("(partenaire supprimé)")
    assert downloaded(logged_in(secretary), document)  # kept, for the committee roles only


def test_the_sync_command_gives_every_partner_its_collection(caf, adil):
    from django.core.management import call_command

    from engagements.models import PartnerDocumentSpace

    call_command("sync_partner_documents", stdout=io.StringIO())
    assert PartnerDocumentSpace.objects.filter(partner__in=[caf, adil]).count() == 2
