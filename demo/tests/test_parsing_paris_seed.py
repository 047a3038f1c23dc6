"""The one charter reader (`charter.parsing.parse_document`) on the real Paris 2017 seed."""

import datetime

import pytest

from charter.parsing import parse_document
from demo.loader import DEMO_SEEDS_DIR

SEED = DEMO_SEEDS_DIR / "paris-2017-annexes-2-3.txt"


@pytest.fixture(scope="module")
def annexes():
    return parse_document(SEED.read_text(encoding="utf-8"))


def all_commitments(annexes):
    return [commitment.markdown for commitment in annexes.commitments]


def commitments_for(annexes, short_name, action_number):
    """The commitments of one partner under one action, in document order."""
    index = annexes.partners.index(annexes.partner(short_name))
    return tuple(
        c.markdown for c in annexes.commitments_of(index) if c.action_key == str(action_number)
    )


EXPECTED_PARTNERS = [
    ("Direction régionale et interdépartementale de l'hébergement et du logement", "DRIHL"),
    ("Département de Paris", "Département de Paris"),
    ("Préfecture de Police", "PP"),
    ("Caisse d'allocations familiales", "CAF"),
    ("AORIF et les bailleurs sociaux", "AORIF"),
    ("Chambre départementale des huissiers de justice", None),
    ("Action logement", None),
    ("Agence départementale d'information sur le logement de Paris", "ADIL 75"),
    ("Fondation Abbé Pierre - Espace solidarité habitat", "FAP - ESH"),
    ("Fédération des acteurs pour la promotion et l'insertion par le logement", "FAPIL"),
    ("Fédération des acteurs de la solidarité Île-de-France", None),
    ("Fédération nationale de l'immobilier du Grand Paris", "FNAIM du Grand Paris"),
    ("Union nationale des propriétaires immobiliers 75", "UNPI 75"),
    ("Commission de surendettement de la Banque de France", None),
]


def test_partners_in_document_order(annexes):
    assert [partner.name for partner in annexes.partners] == [name for name, _ in EXPECTED_PARTNERS]
    for partner, (name, short_name) in zip(annexes.partners, EXPECTED_PARTNERS, strict=True):
        assert partner.short_name == (short_name or name)


def test_partner_kinds(annexes):
    kinds = {partner.short_name: partner.kind for partner in annexes.partners}
    assert kinds["DRIHL"] == "state"
    assert kinds["PP"] == "state"
    assert kinds["Département de Paris"] == "local_authority"
    assert kinds["CAF"] == "social_body"
    assert kinds["Action logement"] == "social_body"
    assert kinds["AORIF"] == "landlord"
    assert kinds["Chambre départementale des huissiers de justice"] == "justice"
    assert kinds["ADIL 75"] == "association"
    assert kinds["FAP - ESH"] == "association"
    assert kinds["FAPIL"] == "association"
    assert kinds["Fédération des acteurs de la solidarité Île-de-France"] == "association"
    assert kinds["FNAIM du Grand Paris"] == "professional_federation"
    assert kinds["UNPI 75"] == "professional_federation"
    assert kinds["Commission de surendettement de la Banque de France"] == "state"


def test_orientations_and_actions(annexes):
    assert [orientation.number for orientation in annexes.orientations] == [1, 2, 3, 4, 5]
    numbers = [action.number for o in annexes.orientations for action in o.actions]
    assert numbers == list(range(1, 25))
    by_orientation = {o.number: [a.number for a in o.actions] for o in annexes.orientations}
    assert 7 in by_orientation[2]
    assert 22 in by_orientation[5]
    assert by_orientation[4] == [14, 15, 16]


def test_orientation_titles_in_sentence_case(annexes):
    titles = [orientation.title for orientation in annexes.orientations]
    assert titles == [
        "Mieux connaître les expulsions locatives",
        "Améliorer la coordination des acteurs",
        "Renforcer la communication et l'accès aux droits pour tous les ménages menacés"
        " d'expulsion",
        "Améliorer les pratiques des bailleurs privés et sociaux",
        "Développer les outils à disposition de la CCAPEX pour exercer son rôle de coordination"
        " de la politique de prévention des expulsions",
    ]


def test_action_titles_take_the_most_frequent_variant(annexes):
    actions = {a.number: a.title for o in annexes.orientations for a in o.actions}
    assert (
        actions[1] == "Réaliser des études sur la procédure d'expulsion et les actions préventives"
    )
    assert actions[2] == "Favoriser la diffusion des données statistiques entre acteurs"
    assert actions[21] == (
        "Intégrer de nouveaux membres à la CCAPEX et renforcer les liens avec les partenaires"
        " extérieurs à la commission"
    )


def test_commitment_total_and_per_partner_counts(annexes):
    assert len(all_commitments(annexes)) == 228
    assert len(annexes.commitments) == 228
    counts = {
        partner.short_name: len(annexes.commitments_of(index))
        for index, partner in enumerate(annexes.partners)
    }
    assert counts["DRIHL"] == 45
    assert counts["Département de Paris"] == 43
    assert counts["PP"] == 7
    assert counts["CAF"] == 25
    assert counts["AORIF"] == 22
    assert counts["ADIL 75"] == 15
    assert counts["UNPI 75"] == 4
    assert counts["Commission de surendettement de la Banque de France"] == 10


def test_commitments_are_clean_markdown(annexes):
    for commitment in all_commitments(annexes):
        assert "**" not in commitment
        assert "<" not in commitment
        assert "¢" not in commitment
        assert not commitment.startswith("- ")
        assert "\n" not in commitment.split("\n\n")[0]


def test_nested_sub_items_become_a_markdown_list(annexes):
    (commitment,) = commitments_for(annexes, "AORIF", 17)
    sentence, items = commitment.split("\n\n")
    assert sentence == (
        "Saisir la CCAPEX dès le début de la procédure contentieuse pour les situations complexes :"
    )
    assert items.split("\n") == [
        "- les occupants sans droit ni titre ayant des fragilités (à définir),",
        "- les locataires qui ne répondent pas aux courriers et qui ne sont pas connus des"
        " conseillers sociaux des bailleurs, ni des services sociaux,",
        "- les locataires souffrant de troubles psychiques",
        "- les locataires menacés d'expulsion pour trouble de jouissance",
    ]


def test_commitment_split_by_a_blank_line_is_repaired(annexes):
    (commitment,) = commitments_for(annexes, "Département de Paris", 5)
    assert commitment.startswith("Initier et participer à des réunions avec la CAF et la DRIHL")
    assert commitment.endswith(
        "dans les différentes instances (plénière de la CCAPEX, comité de suivi de la charte et"
        " groupes de travail)"
    )


def test_spot_checked_commitments(annexes):
    assert commitments_for(annexes, "DRIHL", 22) == (
        "Instruire et traiter les saisines de la CCAPEX par la COMED",
        "Expérimenter la saisine du JEX à travers la COMED",
    )
    assert commitments_for(annexes, "PP", 19) == (
        "Signaler à la DRIHL les ménages DALO pour lesquels le CFP risque d'être accordé",
    )
    assert commitments_for(annexes, "AORIF", 15)[2] == (
        "Application de la charte des mutations notamment concernant les mutations"
        " interréservataires et interbailleurs"
    )
    assert commitments_for(annexes, "Commission de surendettement de la Banque de France", 21) == (
        "Continuer à informer le secrétariat de la CCAPEX de la recevabilité et de l'état"
        " d'avancement des dossiers des ménages dont la situation est examinée en séance",
    )


def test_unpi_declaration(annexes):
    (declaration,) = annexes.declarations
    assert declaration.partner_short_name_or_name == "UNPI 75"
    assert declaration.title == "Déclaration de l'UNPI Paris"
    assert declaration.date == datetime.date(2017, 12, 12)
    assert declaration.place == "Paris"
    assert declaration.signer_name == "Frédéric PELISSOLO"
    assert declaration.signer_role == "Le Président"
    bullets = [line for line in declaration.text.split("\n") if line.startswith("- ")]
    assert len(bullets) == 4
    assert declaration.text.startswith("L'UNPI Paris signe la Charte parisienne")
    for excluded in ("quai Anatole France", "Tel :", "Association loi 1901", "PELISSOLO"):
        assert excluded not in declaration.text


def test_unpi_commitments_exclude_the_declaration(annexes):
    unpi = annexes.partners.index(annexes.partner("UNPI 75"))
    commitments = annexes.commitments_of(unpi)
    assert sorted({int(c.action_key) for c in commitments}) == [4, 5, 16]
    assert not any("débiteur de bonne foi" in c.markdown for c in commitments)


def test_lexicon(annexes):
    terms = [entry.term for entry in annexes.lexicon]
    assert len(terms) == 44
    assert terms[0] == "ACD"
    assert terms[-1] == "UPA"
    assert "Action logement" in terms
    assert "CIL-PASS Assistance" in terms
    definitions = {entry.term: entry.definition for entry in annexes.lexicon}
    assert definitions["Fédération des acteurs de la solidarité Île-de-France"] == "Ex-FNARS"
    assert definitions["CAF"] == "Caisse d'allocations familiales"
    assert not any(
        "Leblanc" in entry.definition or "DRIHL Paris" in entry.term for entry in annexes.lexicon
    )


def test_title(annexes):
    assert annexes.title == "Charte parisienne de prévention des expulsions locatives"


def test_every_line_is_placed_but_the_back_cover():
    assert annexes_unplaced_reasons(SEED) == {"texte après le lexique"}


def annexes_unplaced_reasons(path):
    return {item.reason for item in parse_document(path.read_text(encoding="utf-8")).unplaced}


def test_the_same_text_reads_the_same_and_a_partner_lookup_raises(annexes):
    assert parse_document(SEED.read_text(encoding="utf-8")) == annexes
    assert annexes.partner("Préfecture de Police").short_name == "PP"
    with pytest.raises(KeyError):
        annexes.partner("Inconnu")
