"""Tests of the annexes parser on the real Paris 2017 seed and on invented documents."""

import datetime
from pathlib import Path

import pytest

from charter.parsing import ParsedLexiconEntry, parse_annexes
from charter.parsing.annexes import (
    find_title,
    parse_declaration,
    partner_kind,
    partner_names,
    split_signature,
    strip_article,
    upper_case_tokens,
)

SEEDS = Path(__file__).resolve().parents[1] / "demo_seeds"


@pytest.fixture(scope="module")
def annexes():
    return parse_annexes((SEEDS / "paris-2017-annexes-2-3.txt").read_text(encoding="utf-8"))


def all_commitments(annexes):
    return [
        commitment
        for partner in annexes.partners
        for block in partner.blocks
        for commitment in block.commitments
    ]


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
    assert [partner.position for partner in annexes.partners] == list(range(1, 15))
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
    assert annexes.commitment_count == 228
    counts = {partner.short_name: partner.commitment_count for partner in annexes.partners}
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
    (commitment,) = annexes.partner("AORIF").commitments_for(17)
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
    (commitment,) = annexes.partner("Département de Paris").commitments_for(5)
    assert commitment.startswith("Initier et participer à des réunions avec la CAF et la DRIHL")
    assert commitment.endswith(
        "dans les différentes instances (plénière de la CCAPEX, comité de suivi de la charte et"
        " groupes de travail)"
    )


def test_spot_checked_commitments(annexes):
    assert annexes.partner("DRIHL").commitments_for(22) == (
        "Instruire et traiter les saisines de la CCAPEX par la COMED",
        "Expérimenter la saisine du JEX à travers la COMED",
    )
    assert annexes.partner("PP").commitments_for(19) == (
        "Signaler à la DRIHL les ménages DALO pour lesquels le CFP risque d'être accordé",
    )
    assert annexes.partner("AORIF").commitments_for(15)[2] == (
        "Application de la charte des mutations notamment concernant les mutations"
        " interréservataires et interbailleurs"
    )
    assert annexes.partner("Commission de surendettement de la Banque de France").commitments_for(
        21
    ) == (
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
    unpi = annexes.partner("UNPI 75")
    assert [block.action_number for block in unpi.blocks] == [4, 5, 16]
    assert not any("débiteur de bonne foi" in text for b in unpi.blocks for text in b.commitments)


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


INVENTED = """ANNEXE 2

ENGAGEMENTS DES PARTENAIRES

La Ville de Lyon

ORIENTATION N°1 : CONNAÎTRE LES SITUATIONS

ORIENTATION N° 4 : AIDER LA CCAPEX ET LES
MÉNAGES EN DIFFICULTÉ

Action 2 : Agir avec la CCAPEX

- Réunir les acteurs :
 - les bailleurs,
 - les associations
- Informer les ménages a partir de
2024

La Caisse d'allocations familiales

**ORIENTATION N°1 : CONNAÎTRE LES
SITUATIONS**

Action 1 : Observer les impayés

- Transmettre les chiffres
sur plusieurs lignes

ANNEXE 3

LEXIQUE

CAF\tCaisse d'allocations familiales
CCAPEX\tCommission de coordination

Charte lyonnaise de prévention
"""


def test_invented_document():
    parsed = parse_annexes(INVENTED)
    assert [partner.name for partner in parsed.partners] == [
        "Ville de Lyon",
        "Caisse d'allocations familiales",
    ]
    lyon, caf = parsed.partners
    assert lyon.kind == "local_authority"
    assert caf.short_name == "CAF"
    assert [(b.orientation_number, b.action_number) for b in lyon.blocks] == [(4, 2)]
    assert lyon.blocks[0].commitments == (
        "Réunir les acteurs :\n\n- les bailleurs,\n- les associations",
        "Informer les ménages à partir de 2024",
    )
    assert caf.blocks[0].commitments == ("Transmettre les chiffres sur plusieurs lignes",)
    orientations = {o.number: o for o in parsed.orientations}
    assert orientations[1].title == "Connaître les situations"
    assert orientations[1].actions[0].title == "Observer les impayés"
    assert orientations[4].title == "Aider la CCAPEX et les ménages en difficulté"
    assert [entry.term for entry in parsed.lexicon] == ["CAF", "CCAPEX"]
    assert parsed.title == "Charte lyonnaise de prévention"
    assert parsed.declarations == ()


def test_invented_orientation_heading_in_bold_over_three_lines():
    text = (
        "Le Département du Rhône\n\n**ORIENTATION N° 2 : MIEUX\nCOORDONNER LES\nACTEURS**\n\n"
        "*Action 3 : Partager\nles outils*\n\n- Alimenter l'espace commun\n"
    )
    parsed = parse_annexes(text)
    (orientation,) = parsed.orientations
    assert orientation.title == "Mieux coordonner les acteurs"
    assert orientation.actions[0].title == "Partager les outils"
    assert parsed.partners[0].commitments_for(3) == ("Alimenter l'espace commun",)


def test_invented_declaration_with_signer_first():
    text = (
        "L'Association Exemple\n\nORIENTATION N°1 : AGIR\n\nAction 1 : Agir\n\n- Agir vite\n\n"
        "Déclaration de l'association\n\nNous signons la charte.\n\n- premier point ;\n"
        "- second point.\n\nLyon, le 1er mars 2020\n\nJeanne DUPONT\nLa Présidente\n\n"
        "1 rue de la Paix\n"
    )
    parsed = parse_annexes(text)
    (declaration,) = parsed.declarations
    assert declaration.partner_short_name_or_name == "Association Exemple"
    assert declaration.date == datetime.date(2020, 3, 1)
    assert declaration.place == "Lyon"
    assert (declaration.signer_name, declaration.signer_role) == ("Jeanne DUPONT", "La Présidente")
    assert declaration.text == "Nous signons la charte.\n\n- premier point ;\n- second point."
    assert parsed.partners[0].commitment_count == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("La Caisse d'allocations familiales", "Caisse d'allocations familiales"),
        ("L'AORIF et les bailleurs sociaux", "AORIF et les bailleurs sociaux"),
        ("Le Département de Paris", "Département de Paris"),
        ("Les Restos du cœur", "Restos du cœur"),
        ("La chambre des notaires", "Chambre des notaires"),
        ("Action logement", "Action logement"),
    ],
)
def test_strip_article(raw, expected):
    assert strip_article(raw) == expected


def test_partner_names_rules_in_order():
    lexicon = (ParsedLexiconEntry("MDS", "Maison départementale des solidarités"),)
    document = "Le CDAD anime le réseau. La MDS aussi."
    assert partner_names("L'Agence locale (AL 69)", lexicon, document) == ("Agence locale", "AL 69")
    assert partner_names("Le réseau ADMR du Rhône", lexicon, document)[1] == "ADMR"
    assert partner_names("La Maison departementale des Solidarités", lexicon, document) == (
        "Maison departementale des Solidarités",
        "MDS",
    )
    assert partner_names("Le Conseil départemental de l'accès au droit", lexicon, document)[1] == (
        "CDAD"
    )
    assert partner_names("Le Conseil de la vie sociale", lexicon, document)[1] == (
        "Conseil de la vie sociale"
    )
    assert partner_names("La Ville (de Lyon)", lexicon, document)[0] == "Ville (de Lyon)"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Préfecture du Rhône", "state"),
        ("Direction départementale de l'emploi", "state"),
        ("Métropole de Lyon", "local_authority"),
        ("Commune de Villeurbanne", "local_authority"),
        ("Mutualité sociale agricole", "other"),
        ("Caisse primaire d'assurance maladie", "social_body"),
        ("Office public de l'habitat", "landlord"),
        ("Chambre régionale des commissaires de justice", "justice"),
        ("Tribunal judiciaire de Lyon", "justice"),
        ("Association Habitat et Humanisme", "association"),
        ("Union nationale des propriétaires immobiliers du Rhône", "professional_federation"),
        ("Club des entreprises", "other"),
    ],
)
def test_partner_kind_rules(name, kind):
    assert partner_kind(name) == kind


def test_parsed_values_are_hashable_and_partner_lookup_raises(annexes):
    assert hash(annexes) == hash(parse_annexes((SEEDS / "paris-2017-annexes-2-3.txt").read_text()))
    assert annexes.partner("Préfecture de Police").short_name == "PP"
    with pytest.raises(KeyError):
        annexes.partner("Inconnu")


def test_find_title_falls_back_to_a_mention():
    assert find_title(
        "Nous signons la Charte du Rhône de prévention des expulsions locatives."
    ) == ("Charte du Rhône de prévention des expulsions locatives")
    assert find_title("Aucun titre ici.") == ""


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([], ("", "")),
        (["Jean MARTIN"], ("", "Jean MARTIN")),
        (["Le Directeur", "Jean MARTIN"], ("Le Directeur", "Jean MARTIN")),
        (["Jean MARTIN", "Le Directeur"], ("Le Directeur", "Jean MARTIN")),
    ],
)
def test_split_signature(lines, expected):
    assert split_signature(lines) == expected


def test_declaration_without_date_is_not_built():
    assert parse_declaration("X", ["Déclaration", "Un texte sans date."]) is None


def test_upper_case_tokens_ignore_all_caps_lines():
    tokens = upper_case_tokens("TITRE EN CAPITALES\nLa CCAPEX et la CAF se réunissent")
    assert tokens == {"CCAPEX", "CAF"}
