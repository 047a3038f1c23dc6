"""Issue 15: a commitment « Réalisé » shows its evidence publicly when its partner publishes it.

A document is public only in the partner's « Justificatifs publiés » collection; the private
« Justificatifs » collection never reaches a public page, the open data or the API, whatever the
flag. Documents are uploaded through Wagtail's own upload view, as a partner would.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from wagtail.models import CollectionViewRestriction

from engagements.choices import CommitmentStatus as S
from engagements.models import Commitment, PartnerDocumentSpace
from engagements.services import commitment_update

from .public_pages import PAGE_KINDS, page_path
from .test_security_commitments import SNIPPET, edit_data
from .test_security_documents import downloaded, upload

pytestmark = pytest.mark.django_db

PRIVATE_URL = "https://intranet.example.org/justificatif-prive-9f3a"
PUBLIC_URL = "https://example.org/bilan-publie-4c2e"


@pytest.fixture
def space(caf, contributor):
    return PartnerDocumentSpace.objects.select_related("collection", "public_collection").get(
        partner=caf
    )


@pytest.fixture
def private_doc(contributor, space):
    return upload(contributor, "Justificatif prive CAF 9f3a", collection=space.collection)


@pytest.fixture
def public_doc(contributor, space):
    return upload(contributor, "Bilan publie CAF 4c2e", collection=space.public_collection)


def _achieve(commitment, user, **values):
    """Make the commitment « Réalisé » (through « En cours » when needed) with `values`."""
    if commitment.status == S.NOT_STARTED:
        commitment_update(
            commitment=commitment,
            user=user,
            status=S.IN_PROGRESS,
            progress=50,
            narrative="",
            reason="Démarrage",
            expected_version=None,
        )
    return commitment_update(
        commitment=commitment,
        user=user,
        status=S.ACHIEVED,
        progress=100,
        narrative="Fait.",
        reason="Réalisé",
        expected_version=None,
        **values,
    )


def _public_bodies(client, charter_page, plan, commitment) -> dict[str, str]:
    """Every public page type, the commitment's partner page, history and action page, the
    open data files and the API."""
    urls = {kind: page_path(kind, charter_page, plan) for kind in PAGE_KINDS}
    urls["partner"] = reverse(
        "engagements_public:partner", kwargs={"slug": commitment.partner.slug}
    )
    urls["history"] = reverse("engagements_public:commitment_history", kwargs={"pk": commitment.pk})
    urls["action"] = commitment.action.url
    urls["json"] = reverse("opendata_engagements_json")
    urls["csv"] = reverse("opendata_csv", kwargs={"name": "engagements"})
    urls["api"] = "/api/v2/engagements/"
    urls["api-detail"] = f"/api/v2/engagements/{commitment.pk}/"
    urls["search"] = reverse("pages:search") + "?q=justificatif"
    bodies = {}
    for name, url in urls.items():
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        bodies[name] = content.decode("utf-8-sig", "replace")
    assert client.get(urls["partner"]).status_code == 200
    return bodies


def test_each_partner_has_a_public_collection_without_view_restriction(space):
    assert space.public_collection is not None
    assert space.public_collection.name == f"Justificatifs publiés — {space.partner.name}"
    assert not CollectionViewRestriction.objects.filter(collection=space.public_collection)
    assert CollectionViewRestriction.objects.filter(collection=space.collection).exists()
    # Not below the private collection (its restriction would apply to it).
    assert not space.public_collection.path.startswith(space.collection.path)


def test_published_evidence_of_an_achieved_commitment_is_shown_and_downloadable(
    client, own_commitment, contributor, public_doc
):
    _achieve(
        own_commitment,
        contributor,
        evidence_document=public_doc,
        evidence_url=PUBLIC_URL,
        evidence_public=True,
    )
    partner_page = client.get(
        reverse("engagements_public:partner", kwargs={"slug": own_commitment.partner.slug})
    ).content.decode()
    history = client.get(
        reverse("engagements_public:commitment_history", kwargs={"pk": own_commitment.pk})
    ).content.decode()
    for html in (partner_page, history):
        assert "Justificatif publié par le partenaire" in html
        assert public_doc.url in html
        assert PUBLIC_URL in html
    assert downloaded(Client(), public_doc)


def test_private_document_cannot_be_published_and_nothing_changes(
    own_commitment, contributor, private_doc
):
    _achieve(own_commitment, contributor, evidence_document=private_doc)
    own_commitment.refresh_from_db()
    version = own_commitment.version
    with pytest.raises(ValidationError) as error:
        commitment_update(
            commitment=own_commitment,
            user=contributor,
            status=S.ACHIEVED,
            progress=100,
            narrative="Fait.",
            evidence_document=private_doc,
            evidence_public=True,
            reason="",
            expected_version=version,
        )
    assert "justificatifs privés" in " ".join(error.value.message_dict["evidence_public"])
    own_commitment.refresh_from_db()
    assert own_commitment.version == version and not own_commitment.evidence_public


def test_nothing_to_publish_is_refused(own_commitment, contributor):
    with pytest.raises(ValidationError) as error:
        commitment_update(
            commitment=own_commitment,
            user=contributor,
            status=own_commitment.status,
            progress=own_commitment.progress,
            narrative="",
            evidence_public=True,
            reason="",
            expected_version=None,
        )
    assert "Rien à publier" in " ".join(error.value.message_dict["evidence_public"])


def test_private_evidence_never_reaches_a_public_url(
    client, charter_page, plan, public_version, own_commitment, contributor, private_doc
):
    # Evidence not published: a private document and a private link.
    _achieve(own_commitment, contributor, evidence_document=private_doc, evidence_url=PRIVATE_URL)
    leaks = ("9f3a", private_doc.url, PRIVATE_URL)
    for name, body in _public_bodies(client, charter_page, plan, own_commitment).items():
        found = [leak for leak in leaks if leak in body]
        assert not found, (name, found, body[body.find(found[0]) - 200 :][:400] if found else "")
    assert not downloaded(Client(), private_doc)


def test_a_private_document_moved_after_publication_stays_private(
    client, charter_page, plan, public_version, own_commitment, contributor, public_doc, space
):
    _achieve(own_commitment, contributor, evidence_document=public_doc, evidence_public=True)
    # The secretariat moves the document back into the private collection: no longer shown.
    public_doc.collection = space.collection
    public_doc.save()
    for name, body in _public_bodies(client, charter_page, plan, own_commitment).items():
        assert public_doc.url not in body and "4c2e" not in body, name
    assert not downloaded(Client(), public_doc)


def test_published_evidence_is_hidden_while_the_commitment_is_not_achieved(
    client, own_commitment, contributor, secretary
):
    _achieve(own_commitment, contributor, evidence_url=PUBLIC_URL, evidence_public=True)
    commitment_update(
        commitment=own_commitment,
        user=secretary,
        status=S.IN_PROGRESS,
        progress=80,
        narrative="Rouvert.",
        evidence_url=PUBLIC_URL,
        reason="Nouvelle étape",
        expected_version=None,
    )
    html = client.get(
        reverse("engagements_public:partner", kwargs={"slug": own_commitment.partner.slug})
    ).content.decode()
    assert PUBLIC_URL not in html


def test_the_partner_publishes_from_its_edit_form(client, own_commitment, contributor, public_doc):
    _achieve(own_commitment, contributor, evidence_document=public_doc)
    own_commitment.refresh_from_db()
    client.force_login(contributor)
    url = reverse(f"{SNIPPET}:edit", args=[own_commitment.pk])
    form = client.get(url).content.decode()
    assert 'name="evidence_public"' in form
    assert "Justificatifs publiés" in form  # the help text says where a public document goes
    response = client.post(
        url,
        edit_data(own_commitment, evidence_document=public_doc.pk, evidence_public="on"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    own_commitment.refresh_from_db()
    assert own_commitment.evidence_public


def test_history_of_a_signed_commitment_starts_at_signature(client, charter_page, caf):
    commitment = Commitment.objects.for_charter(charter_page).filter(partner=caf).first()
    assert commitment.in_signed_text  # set by the page-tree writer for a signed text
    html = client.get(
        reverse("engagements_public:commitment_history", kwargs={"pk": commitment.pk})
    ).content.decode()
    assert '<time datetime="2020-01-15">15 janvier 2020</time>' in html  # tests/synthetic.py
    assert "signature de la charte : engagement pris" in html
    assert "enregistrement de l'engagement" not in html


def test_history_of_a_commitment_added_after_signature_keeps_its_date(client, charter_page, caf):
    from engagements.tests.factories import CommitmentFactory

    action = Commitment.objects.for_charter(charter_page).first().action
    commitment = CommitmentFactory(partner=caf, action=action, position=99)
    html = client.get(
        reverse("engagements_public:commitment_history", kwargs={"pk": commitment.pk})
    ).content.decode()
    today = datetime.date.today()
    assert f'datetime="{today:%Y-%m-%d}' in html
    assert "enregistrement de l'engagement" in html
    assert "signature de la charte" not in html
