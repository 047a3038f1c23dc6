"""Legal checklist (décret n° 2016-393), mayors' register and signature tracking."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from charter.choices import CharterStatus, SignatureStatus
from charter.documents import signed_copies_collection_ensure
from charter.models import ActionPage, CharterPage, MayorInvitationRequest, Partner, Signature
from charter.selectors import legal_checklist
from charter.services import charter_change_lifecycle_status, lifecycle_blockers, signature_record

pytestmark = pytest.mark.django_db


def _missing(charter):
    return {item.key for item in legal_checklist(charter=charter) if not item.ok}


def _set_status(charter, status):
    CharterPage.objects.filter(pk=charter.pk).update(lifecycle_status=status)
    charter.refresh_from_db()


def test_checklist_reports_what_the_synthetic_charter_lacks(charter_page):
    # The synthetic charter has commitments but none of the other required texts.
    assert _missing(charter_page) == {
        "quantitative_objectives",
        "qualitative_objectives",
        "indicators",
        "duration",
        "governance",
        "mayors",
    }


def test_checklist_complete_once_everything_is_there(charter_page):
    charter_page.quantitative_objectives = "- 10 % d'assignations en moins"
    charter_page.qualitative_objectives = "- Coordination"
    charter_page.governance = "Comité de suivi annuel."
    charter_page.start_date = datetime.date(2017, 12, 14)
    charter_page.end_date = datetime.date(2023, 12, 14)
    charter_page.mayor_invitation_requests = [
        MayorInvitationRequest(
            commune="Paris", mayor_name="Anne Maire", requested_on=datetime.date(2017, 9, 1)
        )
    ]
    ActionPage.objects.descendant_of(charter_page).filter(code="3").update(
        evaluation_indicators="Nombre de ménages accompagnés"
    )
    assert _missing(charter_page) == set()
    # An explicit "no mayor asked" also satisfies the mayors' item.
    charter_page.mayor_invitation_requests = []
    assert _missing(charter_page) == {"mayors"}
    charter_page.no_mayor_request = True
    assert _missing(charter_page) == set()


def test_ready_for_signature_is_blocked_with_a_french_message(charter_page, superuser):
    _set_status(charter_page, CharterStatus.COREP_VALIDATED)
    with pytest.raises(ValidationError) as error:
        charter_change_lifecycle_status(
            charter=charter_page, user=superuser, status=CharterStatus.APPROVED, reason="test"
        )
    message = " ".join(error.value.messages)
    assert "prête pour signature" in message and "les objectifs quantitatifs" in message
    charter_page.refresh_from_db()
    assert charter_page.lifecycle_status == CharterStatus.COREP_VALIDATED


def test_unknown_or_disallowed_transition_is_refused(charter_page, superuser):
    assert lifecycle_blockers(charter=charter_page, status=CharterStatus.APPROVED) == [
        "Une charte « Publiée » ne peut pas passer à « Approuvée par les co-pilotes »."
    ]
    with pytest.raises(ValidationError):
        charter_change_lifecycle_status(
            charter=charter_page, user=superuser, status="nimportequoi", reason="x"
        )


def _pdf(name="charte-signee.pdf"):
    return Document.objects.create(
        title="Exemplaire signé",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=name),
        collection=signed_copies_collection_ensure(),  # where a signed scan must be filed
    )


@pytest.fixture
def unsigned(charter_page):
    """The synthetic charter before anyone signed it (it holds every signatory's signature)."""
    Signature.objects.filter(charter=charter_page).delete()
    return charter_page


def test_signature_requires_date_name_and_role_and_changes_nothing(unsigned, superuser):
    charter_page = unsigned
    partner = charter_page.signatories.first().partner
    with pytest.raises(ValidationError) as error:
        signature_record(
            charter=charter_page,
            partner=partner,
            user=superuser,
            status=SignatureStatus.SIGNED,
            signer_name="",
        )
    assert set(error.value.message_dict) == {"signed_on", "signer_name", "signer_title"}
    assert "Indiquez la date de signature." in error.value.message_dict["signed_on"]
    assert not Signature.objects.filter(charter=charter_page).exists()


def test_signed_scan_must_be_a_pdf(charter_page, superuser):
    partner = charter_page.signatories.first().partner
    with pytest.raises(ValidationError) as error:
        signature_record(
            charter=charter_page,
            partner=partner,
            user=superuser,
            status=SignatureStatus.SIGNED,
            signer_name="A",
            signer_title="B",
            signed_on=datetime.date(2017, 12, 14),
            signed_scan=_pdf("scan.docx"),
        )
    assert "PDF" in error.value.message_dict["signed_scan"][0]


def test_only_signatories_can_sign(charter_page, superuser):
    outsider = Partner.objects.create(name="Hors charte", short_name="HC", slug="hors-charte")
    with pytest.raises(ValidationError) as error:
        signature_record(
            charter=charter_page, partner=outsider, user=superuser, status=SignatureStatus.PENDING
        )
    assert "ne figure pas parmi les signataires" in error.value.messages[0]


def test_last_signature_signs_the_approved_charter(unsigned, superuser):
    charter_page = unsigned
    _set_status(charter_page, CharterStatus.APPROVED)
    signatories = list(charter_page.signatories.all())
    scan = _pdf()
    for index, signatory in enumerate(signatories):
        signature_record(
            charter=charter_page,
            partner=signatory.partner,
            user=superuser,
            status=SignatureStatus.SIGNED,
            signer_name=f"Signataire {index}",
            signer_title="Directeur",
            signed_on=datetime.date(2017, 12, 14),
            signed_scan=scan,
        )
        charter_page.refresh_from_db()
        expected = CharterStatus.SIGNED if index == len(signatories) - 1 else CharterStatus.APPROVED
        assert charter_page.lifecycle_status == expected
    record = Signature.objects.get(charter=charter_page, partner=signatories[0].partner)
    assert (record.recorded_by, record.signed_scan) == (superuser, scan)


def test_signature_admin_records_through_the_service(admin_client, unsigned):
    charter_page = unsigned
    partner = charter_page.signatories.first().partner
    url = f"/admin/signatures/new/?charter={charter_page.pk}&partner={partner.pk}"
    response = admin_client.get(url)
    assert response.status_code == 200
    data = {
        "charter": charter_page.pk,
        "partner": partner.pk,
        "status": SignatureStatus.SIGNED,
        "signer_name": "",
        "signer_title": "Préfet",
        "signed_on": "2017-12-14",
    }
    response = admin_client.post("/admin/signatures/new/", data)
    assert response.status_code == 200
    assert "Indiquez le nom de la personne qui a signé." in response.content.decode()
    assert not Signature.objects.exists()
    data["signer_name"] = "Michel Cadot"
    response = admin_client.post("/admin/signatures/new/", data)
    assert response.status_code == 302
    assert Signature.objects.get().signer_name == "Michel Cadot"


def test_charter_editor_shows_checklist_and_signatures(admin_client, unsigned):
    charter_page = unsigned
    response = admin_client.get(f"/admin/pages/{charter_page.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Contrôle légal (décret n° 2016-393)" in html
    assert "6 éléments manquent" in html
    assert html.count("enregistrer la signature") == charter_page.signatories.count()
    assert "déclaration jointe" in html  # the UNPI's declaration


def test_new_charter_form_shows_the_checklist(admin_client, charter_page):
    home = charter_page.get_parent()
    response = admin_client.get(f"/admin/pages/add/charter/charterpage/{home.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "7 éléments manquent" in html
