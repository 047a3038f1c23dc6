"""The demo charter, loaded from the seed documents (`paris_demo` in conftest.py)."""

import datetime
import re

import pytest
from django.core.management import call_command
from simple_history.utils import get_history_model_for_model
from wagtail.models import ModelLogEntry, PageLogEntry, Revision

from charter.choices import PartnerKind, SignatoryRole, SignatureStatus
from charter.models import ActionPage, CharterPage, OrientationPage, Partner
from demo.loader import DEMO_SEEDS_DIR, LOAD_REASON, load_demo
from engagements.models import Commitment
from glossary.models import LexiconEntry
from monitoring.models import Indicator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("paris_demo")]

ANNEXES = (DEMO_SEEDS_DIR / "paris-2017-annexes-2-3.txt").read_text(encoding="utf-8")


def test_the_paris_charter_is_complete(paris_charter):
    assert paris_charter.title == "Charte parisienne de prévention des expulsions locatives"
    assert paris_charter.live
    assert Partner.objects.exclude(kind=PartnerKind.COLLECTIVE).count() == 14
    assert OrientationPage.objects.child_of(paris_charter).count() == 5
    actions = ActionPage.objects.descendant_of(paris_charter)
    assert sorted(actions.values_list("number", flat=True)) == list(range(1, 25))
    assert Commitment.objects.for_charter(paris_charter).count() == 228
    assert LexiconEntry.objects.filter(charter=paris_charter).count() == 44
    assert paris_charter.signatories.count() == 14
    assert paris_charter.declarations.count() == 1


def _letters(text: str) -> str:
    """The text without spaces and hyphens: OCR repairs join words broken across lines."""
    return re.sub(r"[\s\-]", "", text)


def test_every_commitment_text_is_in_the_seed(paris_charter):
    seed_letters = _letters(ANNEXES)
    for text in Commitment.objects.values_list("text", flat=True):
        first_line = text.splitlines()[0]
        assert _letters(first_line) in seed_letters, first_line


def test_orientations_and_actions_in_their_place(paris_charter):
    orientation_2 = OrientationPage.objects.child_of(paris_charter).get(number=2)
    assert orientation_2.title == "Améliorer la coordination des acteurs"
    assert ActionPage.objects.child_of(orientation_2).filter(number=7).exists()
    orientation_5 = OrientationPage.objects.child_of(paris_charter).get(number=5)
    assert ActionPage.objects.child_of(orientation_5).get(number=22).title == (
        "Améliorer les liens entre la COMED et la CCAPEX"
    )


def test_partners_have_short_names_kinds_and_copilots(paris_charter):
    drihl = Partner.objects.get(short_name="DRIHL")
    assert drihl.kind == PartnerKind.STATE
    assert Partner.objects.get(short_name="CAF").name == "Caisse d'allocations familiales"
    assert Partner.objects.get(short_name="ADIL 75").slug == "adil-75"
    copilots = paris_charter.signatories.filter(role=SignatoryRole.COPILOT)
    assert sorted(s.partner.name for s in copilots) == [
        "Direction régionale et interdépartementale de l'hébergement et du logement",
        "Département de Paris",
    ]


def test_nested_sub_items_stay_inside_their_commitment():
    aorif = Partner.objects.get(short_name="AORIF")
    commitment = Commitment.objects.get(partner=aorif, action__number=17)
    lines = commitment.text.splitlines()
    assert lines[0] == (
        "Saisir la CCAPEX dès le début de la procédure contentieuse pour les situations complexes :"
    )
    sub_items = [line for line in lines if line.startswith("- ")]
    assert len(sub_items) == 4
    assert sub_items[2] == "- les locataires souffrant de troubles psychiques"


def test_the_unpi_declaration_is_a_declaration_not_commitments(paris_charter):
    declaration = paris_charter.declarations.get()
    assert declaration.partner.short_name == "UNPI 75"
    signature = paris_charter.signature_records()[declaration.partner_id]
    assert (signature.signer_title, signature.signer_name) == ("Le Président", "Frédéric PELISSOLO")
    assert declaration.signed_on.isoformat() == "2017-12-12"
    assert "débiteur de bonne foi" in declaration.text
    assert "quai Anatole France" not in declaration.text
    assert not Commitment.objects.filter(text__contains="débiteur de bonne foi").exists()
    assert Commitment.objects.filter(partner=declaration.partner).count() == 4


def test_demo_records_the_2017_signatures(paris_charter):
    records = paris_charter.signature_records()
    assert len(records) == paris_charter.signatories.count() == 14
    assert {(r.status, r.signed_on) for r in records.values()} == {
        (SignatureStatus.SIGNED, datetime.date(2017, 12, 14))
    }
    unpi = next(r for r in records.values() if r.partner.short_name.startswith("UNPI"))
    assert (unpi.signer_title, unpi.signer_name) == ("Le Président", "Frédéric PELISSOLO")


def test_lexicon_entries(paris_charter):
    entries = LexiconEntry.objects.filter(charter=paris_charter)
    assert entries.get(term="CCAPEX").definition == (
        "Commission de coordination des actions de prévention des expulsions locatives"
    )
    assert entries.get(term="Fédération des acteurs de la solidarité Île-de-France").definition == (
        "Ex-FNARS"
    )
    assert not entries.filter(term__icontains="DRIHL Paris").exists()


def test_the_plan_fiches_are_complete_and_linked(paris_plan):
    fiche_31 = ActionPage.objects.descendant_of(paris_plan).get(code="3-1")
    assert fiche_31.title == "Elaborer une charte de prévention de l'expulsion locative"
    assert len(fiche_31.fiche) == 11
    assert sorted(a.code for a in fiche_31.related_actions.all()) == ["3-2", "3-3", "3-4"]
    fiche_32 = ActionPage.objects.descendant_of(paris_plan).get(code="3-2")
    assert fiche_32.fiche == []  # listed in the orientation, no fiche in the seeds
    fiche_34 = ActionPage.objects.descendant_of(paris_plan).get(code="3-4")
    assert "I'" not in fiche_34.legal_framework
    assert "décret du 30 octobre 2015 relatif à la CCAPEX" in fiche_34.legal_framework
    assert fiche_34.tagline == "Offrir à tous un accompagnement social"


def test_the_fiches_indicators_are_loaded_and_linked(paris_plan):
    indicator = Indicator.objects.get(name="Création de la cellule technique")
    assert [a.code for a in indicator.actions.all()] == ["3-3"]
    assert (
        Indicator.objects.filter(actions__path__startswith=paris_plan.path).distinct().count() >= 5
    )


def test_commitment_history_records_the_load_as_reason():
    commitment = Commitment.objects.first()
    assert commitment.history.earliest().history_change_reason == LOAD_REASON


def test_a_second_load_changes_nothing():
    counts_before = (
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        ModelLogEntry.objects.count(),
        get_history_model_for_model(Commitment).objects.count(),
        CharterPage.objects.count(),
    )

    report = load_demo()

    assert not report.changed, report.lines()
    assert report.unchanged["engagements"] == 228
    assert (
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        ModelLogEntry.objects.count(),
        get_history_model_for_model(Commitment).objects.count(),
        CharterPage.objects.count(),
    ) == counts_before


def test_load_demo_if_empty_skips_a_database_that_holds_a_charter(capsys):
    call_command("load_demo", "--if-empty")
    assert "déjà une charte" in capsys.readouterr().out


def test_load_demo_command_reports_nothing_to_change(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Rien à changer" in out
    assert "engagements : 0 créé(s), 0 modifié(s), 228 inchangé(s)" in out
