"""One screen to record the signatures of a charter (issue 14): roles, all-or-nothing, the
signed copies' chooser, the audit log, the wording. Cross-app: a partner's private evidence
(engagements' collections) must never be offered nor accepted as a signed scan."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.models import PageLogEntry

from charter.choices import SignatureStatus
from charter.documents import SIGNED_COPIES_COLLECTION, signed_copies_collection_ensure
from charter.models import Signature
from charter.services import signature_record
from charter.views.signatures import recorded_message
from engagements.documents import partner_collection_id
from tests.test_admin_french import FORBIDDEN

pytestmark = pytest.mark.django_db

Document = get_document_model()
PDF = b"%PDF-1.4\n%%EOF\n"
# English or generic wording the screen and its chooser must not show (besides FORBIDDEN).
ENGLISH = [
    "Choose a document",
    "Choose another document",
    "Upload",
    "Save",
    "Cancel",
    "Status",
    "Signed on",
    "Signer",
    "None",
    "Pending",
    "Signed scan",
]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def unsigned(charter_page):
    """The synthetic charter before anyone signed it."""
    Signature.objects.filter(charter=charter_page).delete()
    return charter_page


@pytest.fixture
def signatories(unsigned):
    return list(unsigned.signatories.select_related("partner"))


def _url(charter):
    return reverse("signatures:record", args=[charter.pk])


def _signed_copy(title="Exemplaire signé", name="exemplaire.pdf"):
    return Document.objects.create(
        title=title,
        file=ContentFile(PDF, name=name),
        collection=signed_copies_collection_ensure(),
    )


def _private_evidence(partner, title="Justificatif privé du partenaire"):
    from wagtail.models import Collection

    from engagements.documents import partner_documents_sync

    partner_documents_sync(partner=partner)
    return Document.objects.create(
        title=title,
        file=ContentFile(PDF, name="justificatif.pdf"),
        collection=Collection.objects.get(pk=partner_collection_id(partner.pk)),
    )


def _row_data(rows: list[dict]) -> dict:
    data = {
        "signatures-TOTAL_FORMS": str(len(rows)),
        "signatures-INITIAL_FORMS": "0",
        "signatures-MIN_NUM_FORMS": str(len(rows)),
        "signatures-MAX_NUM_FORMS": str(len(rows)),
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"signatures-{index}-{name}"] = "" if value is None else str(value)
    return data


def _pending(signatory):
    return {"status": SignatureStatus.PENDING, "signer_title": signatory.authority_title}


def _signed(index, scan=None):
    return {
        "status": SignatureStatus.SIGNED,
        "signed_on": "2017-12-14",
        "signer_name": f"Personne {index}",
        "signer_title": "Directrice",
        "signed_scan": scan.pk if scan else "",
    }


def _signature_logs(charter):
    return PageLogEntry.objects.filter(action="charter.signature", page=charter)


def test_the_secretariat_records_every_signature_on_one_screen(unsigned, signatories, secretary):
    client = _client(secretary)
    response = client.get(_url(unsigned))
    assert response.status_code == 200
    html = response.content.decode()
    for signatory in signatories:
        assert escape(signatory.partner.name) in html
    assert html.count('<fieldset class="signature-row') == len(signatories)
    scan = _signed_copy()
    logs_before = _signature_logs(unsigned).count()
    rows = [_signed(i, scan if i == 0 else None) for i in range(len(signatories))]
    response = client.post(_url(unsigned), _row_data(rows), follow=True)
    assert response.redirect_chain == [(_url(unsigned), 302)]
    assert f"{len(signatories)} signatures enregistrées." in response.content.decode()
    records = Signature.objects.filter(charter=unsigned).order_by("partner__name")
    assert records.count() == len(signatories)
    assert {r.status for r in records} == {SignatureStatus.SIGNED}
    assert {r.recorded_by for r in records} == {secretary}
    first = Signature.objects.get(charter=unsigned, partner=signatories[0].partner)
    assert (first.signer_name, first.signed_scan) == ("Personne 0", scan)
    # One audit-log entry per signature changed, by the secretary.
    logs = _signature_logs(unsigned)[: len(signatories)]
    assert _signature_logs(unsigned).count() - logs_before == len(signatories)
    assert {entry.user_id for entry in logs} == {secretary.pk}


def test_only_changed_rows_are_recorded_and_the_message_counts_them(
    unsigned, signatories, secretary
):
    client = _client(secretary)
    logs_before = _signature_logs(unsigned).count()
    rows = [_pending(s) for s in signatories]
    rows[2] = _signed(2)
    response = client.post(_url(unsigned), _row_data(rows), follow=True)
    assert "1 signature enregistrée." in response.content.decode()
    assert Signature.objects.filter(charter=unsigned).count() == 1
    assert _signature_logs(unsigned).count() == logs_before + 1
    # The screen is prefilled from the records: posting it back unchanged records nothing.
    response = client.post(_url(unsigned), _row_data(rows), follow=True)
    assert escape("Aucune signature n'a changé") in response.content.decode()
    assert _signature_logs(unsigned).count() == logs_before + 1


def test_recorded_message_has_french_plurals():
    assert recorded_message(1) == "1 signature enregistrée."
    assert recorded_message(14) == "14 signatures enregistrées."
    assert recorded_message(0).startswith("Aucune signature")


def test_one_refused_row_saves_nothing_and_its_error_shows_next_to_it(
    unsigned, signatories, secretary
):
    logs_before = _signature_logs(unsigned).count()
    rows = [_signed(i) for i in range(len(signatories))]
    rows[3]["signer_name"] = ""  # a signature entered now names its signer
    response = _client(secretary).post(_url(unsigned), _row_data(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert escape("Aucune signature n'a été enregistrée") in html
    assert not Signature.objects.filter(charter=unsigned).exists()
    assert _signature_logs(unsigned).count() == logs_before
    # The message sits inside the refused signatory's row, and in no other.
    refused = signatories[3].partner_id
    row = re.search(rf'id="signataire-{refused}".*?</fieldset>', html, re.S).group(0)
    message = escape("Indiquez le nom de la personne qui a signé.")
    assert message in row
    assert html.count(message) == 1
    # What was typed stays on the screen.
    assert "Personne 0" in html


def test_a_bad_date_is_refused_in_french(unsigned, signatories, secretary):
    rows = [_pending(s) for s in signatories]
    rows[0] = {**_signed(0), "signed_on": "32/13/2017"}
    response = _client(secretary).post(_url(unsigned), _row_data(rows))
    assert "Saisissez une date valide." in response.content.decode()
    assert not Signature.objects.filter(charter=unsigned).exists()


def test_a_forged_row_count_changes_nothing(unsigned, signatories, secretary):
    rows = [_signed(i) for i in range(len(signatories) + 1)]
    response = _client(secretary).post(_url(unsigned), _row_data(rows))
    assert response.status_code == 200
    assert not Signature.objects.filter(charter=unsigned).exists()


def test_a_partner_private_evidence_is_refused_as_a_scan(unsigned, signatories, secretary, caf):
    evidence = _private_evidence(caf)
    rows = [_pending(s) for s in signatories]
    rows[0] = _signed(0, evidence)
    response = _client(secretary).post(_url(unsigned), _row_data(rows))
    assert "Exemplaires signés" in response.content.decode()
    assert not Signature.objects.filter(charter=unsigned).exists()


def test_the_service_refuses_a_scan_outside_the_signed_copies(unsigned, signatories, caf):
    from django.core.exceptions import ValidationError

    evidence = _private_evidence(caf)
    with pytest.raises(ValidationError) as error:
        signature_record(
            charter=unsigned,
            partner=signatories[0].partner,
            user=None,
            status=SignatureStatus.SIGNED,
            signer_name="A",
            signer_title="B",
            signed_on=datetime.date(2017, 12, 14),
            signed_scan=evidence,
        )
    assert SIGNED_COPIES_COLLECTION in error.value.message_dict["signed_scan"][0]
    assert not Signature.objects.filter(charter=unsigned).exists()


@pytest.mark.parametrize("role", ["copilot", "committee_member", "contributor", "anonymous"])
def test_only_the_secretariat_reaches_the_screen(request, unsigned, signatories, secretary, role):
    assert _client(secretary).get(_url(unsigned)).status_code == 200
    client = Client() if role == "anonymous" else _client(request.getfixturevalue(role))
    rows = [_signed(i) for i in range(len(signatories))]
    for response in (client.get(_url(unsigned)), client.post(_url(unsigned), _row_data(rows))):
        # Wagtail turns a refusal into a redirect to the dashboard (or the login page).
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"].startswith(("/admin/login/", "/admin/"))
            assert not response["Location"].startswith(_url(unsigned))
    assert not Signature.objects.filter(charter=unsigned).exists()


def test_a_forged_partner_row_count_is_refused_in_french(unsigned, signatories, secretary):
    rows = [_signed(i) for i in range(len(signatories) - 1)]
    response = _client(secretary).post(_url(unsigned), _row_data(rows))
    assert "rechargez la page" in response.content.decode()
    assert response.content.decode().count('<fieldset class="signature-row') == len(signatories)
    assert not Signature.objects.filter(charter=unsigned).exists()


def test_the_screen_query_count_does_not_grow_with_the_rows(
    unsigned, signatories, secretary, django_assert_num_queries
):
    client = _client(secretary)
    client.get(_url(unsigned))  # the collection and the caches exist
    with django_assert_num_queries(15):
        assert client.get(_url(unsigned)).status_code == 200
    # Every row signed with its scan: one more query for all the scans, not one per row.
    for index, signatory in enumerate(signatories):
        Signature.objects.create(
            charter=unsigned,
            partner=signatory.partner,
            status=SignatureStatus.SIGNED,
            signed_on=datetime.date(2017, 12, 14),
            signer_name="Anne",
            signer_title="Directrice",
            signed_scan=_signed_copy(f"Scan signé n°{index}"),
        )
    with django_assert_num_queries(16):
        html = client.get(_url(unsigned)).content.decode()
    assert all(f"Scan signé n°{index}" in html for index in range(len(signatories)))


CHOOSER = "signed_copy_chooser:choose"


def test_the_chooser_lists_signed_copies_only(unsigned, secretary, caf):
    signed = _signed_copy("Exemplaire signé de la CAF")
    evidence = _private_evidence(caf, "Relevé privé de la CAF")
    other = Document.objects.create(title="Note du comité", file=ContentFile(PDF, name="n.pdf"))
    client = _client(secretary)
    html = client.get(reverse(CHOOSER)).json()["html"]
    assert signed.title in html
    assert evidence.title not in html and other.title not in html
    # Neither a collection filter nor a search reaches other documents.
    html = client.get(
        reverse("signed_copy_chooser:choose_results"),
        {"collection_id": evidence.collection_id, "q": "CAF"},
    ).content.decode()
    assert signed.title in html and evidence.title not in html
    # Choosing a private document by its id is refused.
    chosen = reverse("signed_copy_chooser:chosen", args=[evidence.pk])
    assert client.get(chosen).status_code == 404
    assert client.get(reverse("signed_copy_chooser:chosen", args=[signed.pk])).status_code == 200


@pytest.mark.parametrize("role", ["contributor", "copilot", "committee_member"])
def test_the_chooser_is_closed_to_other_roles(request, role, caf):
    _signed_copy()
    client = _client(request.getfixturevalue(role))
    for url in (reverse(CHOOSER), reverse("signed_copy_chooser:choose_results")):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "Exemplaire signé" not in response.content.decode()
    upload = {
        "document-chooser-upload-title": "Faux exemplaire",
        "document-chooser-upload-file": SimpleUploadedFile("f.pdf", PDF, "application/pdf"),
    }
    assert client.post(reverse("signed_copy_chooser:create"), upload).status_code in (302, 403)
    assert not Document.objects.filter(title="Faux exemplaire").exists()


def test_an_upload_through_the_chooser_lands_in_the_signed_copies(secretary):
    client = _client(secretary)
    upload = {
        "document-chooser-upload-title": "Exemplaire signé du préfet",
        "document-chooser-upload-file": SimpleUploadedFile("prefet.pdf", PDF, "application/pdf"),
    }
    response = client.post(reverse("signed_copy_chooser:create"), upload)
    assert response.json()["step"] == "chosen"
    document = Document.objects.get(title="Exemplaire signé du préfet")
    assert document.collection == signed_copies_collection_ensure()
    # A file that is not a PDF is refused, in French, and nothing is stored.
    upload = {
        "document-chooser-upload-title": "Exemplaire Word",
        "document-chooser-upload-file": SimpleUploadedFile("scan.docx", b"PK", "application/zip"),
    }
    response = client.post(reverse("signed_copy_chooser:create"), upload)
    assert response.json()["step"] == "reshow_creation_form"
    assert "doit être un fichier PDF" in response.json()["htmlFragment"]
    assert not Document.objects.filter(title="Exemplaire Word").exists()


def test_the_single_signature_form_uses_the_chooser(unsigned, signatories, secretary, caf):
    evidence = _private_evidence(caf)
    client = _client(secretary)
    html = client.get(reverse("signatures:add")).content.decode()
    assert not re.search(r'<select[^>]*name="signed_scan"', html)
    assert reverse(CHOOSER) in html
    assert evidence.title not in html
    partner = signatories[0].partner
    data = {
        "charter": unsigned.pk,
        "partner": partner.pk,
        "status": SignatureStatus.SIGNED,
        "signer_name": "Anne",
        "signer_title": "Directrice",
        "signed_on": "2017-12-14",
        "signed_scan": evidence.pk,
    }
    response = client.post(reverse("signatures:add"), data)
    assert response.status_code == 200
    assert "Exemplaires signés" in response.content.decode()
    assert not Signature.objects.filter(charter=unsigned).exists()
    data["signed_scan"] = _signed_copy().pk
    response = client.post(reverse("signatures:add"), data)
    assert response.status_code == 302
    assert (
        Signature.objects.get(charter=unsigned, partner=partner).signed_scan_id
        == (data["signed_scan"])
    )


def test_the_screen_is_reached_from_the_listing_and_the_charter(unsigned, secretary, copilot):
    client = _client(secretary)
    listing = client.get(reverse("signatures:index")).content.decode()
    assert "Saisir les signatures" in listing and _url(unsigned) in listing
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[unsigned.pk])).content.decode()
    assert _url(unsigned) in editor
    # Not offered to a role that cannot record signatures.
    listing = _client(copilot).get(reverse("signatures:index")).content.decode()
    assert _url(unsigned) not in listing


def test_the_screen_and_its_chooser_speak_french(unsigned, signatories, secretary):
    client = _client(secretary)
    empty_chooser = client.get(reverse(CHOOSER)).json()["html"]
    _signed_copy()
    rows = [_pending(s) for s in signatories]
    rows[0] = {**_signed(0), "signer_name": ""}
    pages = {
        "sélecteur vide": empty_chooser,
        "écran": client.get(_url(unsigned)).content.decode(),
        "écran avec erreurs": client.post(_url(unsigned), _row_data(rows)).content.decode(),
        "sélecteur": client.get(reverse(CHOOSER)).json()["html"],
    }
    for name, html in pages.items():
        text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
        visible = re.sub(r"<[^>]+>", " ", text)
        attributes = " ".join(re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', text))
        found = [s for s in FORBIDDEN if s in html]
        found += [
            word
            for word in ENGLISH
            if re.search(rf"\b{re.escape(word)}\b", visible + " " + attributes)
        ]
        assert not found, (name, found)
