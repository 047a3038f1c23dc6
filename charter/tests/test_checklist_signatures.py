"""Legal checklist (décret n° 2016-393), mayors' register and signature tracking."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from charter.choices import CharterStatus, SignatureStatus
from charter.models import ActionPage, CharterPage, MayorInvitationRequest, Partner, Signature
from charter.selectors import legal_checklist
from charter.services import charter_change_lifecycle_status, lifecycle_blockers, signature_record

pytestmark = pytest.mark.django_db


def _missing(charter):
    return {item.key for item in legal_checklist(charter=charter) if not item.ok}


def _set_status(charter, status):
    CharterPage.objects.filter(pk=charter.pk).update(lifecycle_status=status)
    charter.refresh_from_db()


def test_checklist_reports_what_the_demo_charter_lacks(paris_charter):
    # The demo charter has commitments but none of the other required texts.
    assert _missing(paris_charter) == {
        "quantitative_objectives",
        "qualitative_objectives",
        "indicators",
        "duration",
        "governance",
        "mayors",
    }


def test_checklist_complete_once_everything_is_there(paris_charter):
    paris_charter.quantitative_objectives = "- 10 % d'assignations en moins"
    paris_charter.qualitative_objectives = "- Coordination"
    paris_charter.governance = "Comité de suivi annuel."
    paris_charter.start_date = datetime.date(2017, 12, 14)
    paris_charter.end_date = datetime.date(2023, 12, 14)
    paris_charter.mayor_invitation_requests = [
        MayorInvitationRequest(
            commune="Paris", mayor_name="Anne Maire", requested_on=datetime.date(2017, 9, 1)
        )
    ]
    ActionPage.objects.descendant_of(paris_charter).filter(code="3").update(
        evaluation_indicators="Nombre de ménages accompagnés"
    )
    assert _missing(paris_charter) == set()
    # An explicit "no mayor asked" also satisfies the mayors' item.
    paris_charter.mayor_invitation_requests = []
    assert _missing(paris_charter) == {"mayors"}
    paris_charter.no_mayor_request = True
    assert _missing(paris_charter) == set()


def test_ready_for_signature_is_blocked_with_a_french_message(paris_charter, superuser):
    _set_status(paris_charter, CharterStatus.COREP_VALIDATED)
    with pytest.raises(ValidationError) as error:
        charter_change_lifecycle_status(
            charter=paris_charter, user=superuser, status=CharterStatus.APPROVED, reason="test"
        )
    message = " ".join(error.value.messages)
    assert "prête pour signature" in message and "les objectifs quantitatifs" in message
    paris_charter.refresh_from_db()
    assert paris_charter.lifecycle_status == CharterStatus.COREP_VALIDATED


def test_unknown_or_disallowed_transition_is_refused(paris_charter, superuser):
    assert lifecycle_blockers(charter=paris_charter, status=CharterStatus.APPROVED) == [
        "Une charte « Publiée » ne peut pas passer à « Approuvée par les co-pilotes »."
    ]
    with pytest.raises(ValidationError):
        charter_change_lifecycle_status(
            charter=paris_charter, user=superuser, status="nimportequoi", reason="x"
        )


def _pdf(name="charte-signee.pdf"):
    return Document.objects.create(
        title="Exemplaire signé", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name=name)
    )


@pytest.fixture
def unsigned(paris_charter):
    """The demo charter before anyone signed it (the demo records the 2017 signatures)."""
    Signature.objects.filter(charter=paris_charter).delete()
    return paris_charter


def test_demo_records_the_2017_signatures(paris_charter):
    records = paris_charter.signature_records()
    assert len(records) == paris_charter.signatories.count() == 14
    assert {(r.status, r.signed_on) for r in records.values()} == {
        (SignatureStatus.SIGNED, datetime.date(2017, 12, 14))
    }
    unpi = next(r for r in records.values() if r.partner.short_name.startswith("UNPI"))
    assert (unpi.signer_title, unpi.signer_name) == ("Le Président", "Frédéric PELISSOLO")


def test_signature_requires_date_name_and_role_and_changes_nothing(unsigned, superuser):
    paris_charter = unsigned
    partner = paris_charter.signatories.first().partner
    with pytest.raises(ValidationError) as error:
        signature_record(
            charter=paris_charter,
            partner=partner,
            user=superuser,
            status=SignatureStatus.SIGNED,
            signer_name="",
        )
    assert set(error.value.message_dict) == {"signed_on", "signer_name", "signer_title"}
    assert "Indiquez la date de signature." in error.value.message_dict["signed_on"]
    assert not Signature.objects.filter(charter=paris_charter).exists()


def test_signed_scan_must_be_a_pdf(paris_charter, superuser):
    partner = paris_charter.signatories.first().partner
    with pytest.raises(ValidationError) as error:
        signature_record(
            charter=paris_charter,
            partner=partner,
            user=superuser,
            status=SignatureStatus.SIGNED,
            signer_name="A",
            signer_title="B",
            signed_on=datetime.date(2017, 12, 14),
            signed_scan=_pdf("scan.docx"),
        )
    assert "PDF" in error.value.message_dict["signed_scan"][0]


def test_only_signatories_can_sign(paris_charter, superuser):
    outsider = Partner.objects.create(name="Hors charte", short_name="HC", slug="hors-charte")
    with pytest.raises(ValidationError) as error:
        signature_record(
            charter=paris_charter, partner=outsider, user=superuser, status=SignatureStatus.PENDING
        )
    assert "ne figure pas parmi les signataires" in error.value.messages[0]


def test_last_signature_signs_the_approved_charter(unsigned, superuser):
    paris_charter = unsigned
    _set_status(paris_charter, CharterStatus.APPROVED)
    signatories = list(paris_charter.signatories.all())
    scan = _pdf()
    for index, signatory in enumerate(signatories):
        signature_record(
            charter=paris_charter,
            partner=signatory.partner,
            user=superuser,
            status=SignatureStatus.SIGNED,
            signer_name=f"Signataire {index}",
            signer_title="Directeur",
            signed_on=datetime.date(2017, 12, 14),
            signed_scan=scan,
        )
        paris_charter.refresh_from_db()
        expected = CharterStatus.SIGNED if index == len(signatories) - 1 else CharterStatus.APPROVED
        assert paris_charter.lifecycle_status == expected
    record = Signature.objects.get(charter=paris_charter, partner=signatories[0].partner)
    assert (record.recorded_by, record.signed_scan) == (superuser, scan)


def test_signature_admin_records_through_the_service(admin_client, unsigned):
    paris_charter = unsigned
    partner = paris_charter.signatories.first().partner
    url = f"/admin/signatures/new/?charter={paris_charter.pk}&partner={partner.pk}"
    response = admin_client.get(url)
    assert response.status_code == 200
    data = {
        "charter": paris_charter.pk,
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
    paris_charter = unsigned
    response = admin_client.get(f"/admin/pages/{paris_charter.pk}/edit/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Contrôle légal (décret n° 2016-393)" in html
    assert "6 éléments manquent" in html
    assert html.count("enregistrer la signature") == paris_charter.signatories.count()
    assert "déclaration jointe" in html  # the UNPI's declaration


def test_new_charter_form_shows_the_checklist(admin_client, paris_charter):
    home = paris_charter.get_parent()
    response = admin_client.get(f"/admin/pages/add/charter/charterpage/{home.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "7 éléments manquent" in html
