"""The one charter reader (`charter.parsing.parse_document`) and its rules, on invented documents.

The Paris seed is read in `demo/tests/test_parsing_paris_seed.py`.
"""

import datetime

import pytest

from charter.parsing import ParsedLexiconEntry, parse_document
from charter.parsing.sections import (
    find_title,
    parse_declaration,
    partner_kind,
    partner_names,
    split_signature,
    strip_article,
    upper_case_tokens,
)

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
    parsed = parse_document(INVENTED)
    assert parsed.layout == "partenaires d'abord"
    assert [partner.name for partner in parsed.partners] == [
        "Ville de Lyon",
        "Caisse d'allocations familiales",
    ]
    lyon, caf = parsed.partners
    assert lyon.kind == "local_authority"
    assert caf.short_name == "CAF"
    actions = {a.key: a.orientation_key for a in parsed.actions}
    assert [(actions[c.action_key], c.action_key) for c in parsed.commitments_of(0)] == [
        ("4", "2"),
        ("4", "2"),
    ]
    assert [c.markdown for c in parsed.commitments_of(0)] == [
        "Réunir les acteurs :\n\n- les bailleurs,\n- les associations",
        "Informer les ménages à partir de 2024",
    ]
    assert [c.markdown for c in parsed.commitments_of(1)] == [
        "Transmettre les chiffres sur plusieurs lignes"
    ]
    orientations = {o.number: o for o in parsed.orientations}
    assert orientations[1].title == "Connaître les situations"
    assert orientations[1].actions[0].title == "Observer les impayés"
    assert orientations[4].title == "Aider la CCAPEX et les ménages en difficulté"
    assert [entry.term for entry in parsed.lexicon] == ["CAF", "CCAPEX"]
    assert parsed.title == "Charte lyonnaise de prévention"
    assert parsed.declarations == []
    assert [item.text for item in parsed.unplaced] == ["Charte lyonnaise de prévention"]


def test_invented_orientation_heading_in_bold_over_three_lines():
    text = (
        "Le Département du Rhône\n\n**ORIENTATION N° 2 : MIEUX\nCOORDONNER LES\nACTEURS**\n\n"
        "*Action 3 : Partager\nles outils*\n\n- Alimenter l'espace commun\n"
    )
    parsed = parse_document(text)
    (orientation,) = parsed.orientations
    assert orientation.title == "Mieux coordonner les acteurs"
    assert orientation.actions[0].title == "Partager les outils"
    assert parsed.partners[0].name == "Département du Rhône"
    assert [(c.action_key, c.markdown) for c in parsed.commitments] == [
        ("3", "Alimenter l'espace commun")
    ]


def test_invented_declaration_with_signer_first():
    text = (
        "L'Association Exemple\n\nORIENTATION N°1 : AGIR\n\nAction 1 : Agir\n\n- Agir vite\n\n"
        "Déclaration de l'association\n\nNous signons la charte.\n\n- premier point ;\n"
        "- second point.\n\nLyon, le 1er mars 2020\n\nJeanne DUPONT\nLa Présidente\n\n"
        "1 rue de la Paix\n"
    )
    parsed = parse_document(text)
    (declaration,) = parsed.declarations
    assert declaration.partner_short_name_or_name == "Association Exemple"
    assert declaration.date == datetime.date(2020, 3, 1)
    assert declaration.place == "Lyon"
    assert (declaration.signer_name, declaration.signer_role) == ("Jeanne DUPONT", "La Présidente")
    assert declaration.text == "Nous signons la charte.\n\n- premier point ;\n- second point."
    assert [c.markdown for c in parsed.commitments] == ["Agir vite"]


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


def test_a_partner_named_another_way_is_matched_and_the_match_said():
    from charter.parsing import DocumentPartner
    from charter.parsing.matching import match_partner

    partners = [
        DocumentPartner("Caisse d'allocations familiales", "CAF", "social_body", ""),
        DocumentPartner("Union nationale des propriétaires immobiliers 75", "UNPI 75", "other", ""),
        DocumentPartner("Union des propriétaires de Testville", "UPT", "other", ""),
    ]
    assert match_partner("la Caisse d'allocations familiales", partners) == (0, "nom")
    assert match_partner("CAF", partners) == (0, "sigle")
    assert match_partner("l'UNPI Paris", partners) == (1, "sigle « UNPI »")
    assert match_partner("l'Union des propriétaires", partners) == (2, "nom sans territoire")
    assert match_partner("la Fondation pour le logement", partners) is None


def test_roman_and_dotted_numbers_and_a_sommaire_without_page_numbers():
    parsed = parse_document(
        "Sommaire\n\nI. Préambule ..... 2\n\nAnnexe 4 : Liste des sigles\n\n"
        "I. Préambule\n\nLe texte du préambule.\n\n"
        "II.1 Axe 1 : Informer\n\nLa CAF :\n\n- Informer les allocataires\n\n"
        "2.3.1 Axe 2 : Accompagner\n\nLa CAF :\n\n- Accompagner les ménages\n\n"
        "Annexe 4 : Liste des sigles\n\nCAF : Caisse d'allocations familiales\n"
    )
    assert [o.title for o in parsed.orientations] == ["Informer", "Accompagner"]
    assert [c.text for c in parsed.commitments] == [
        "Informer les allocataires",
        "Accompagner les ménages",
    ]
    assert [e.term for e in parsed.lexicon] == ["CAF"]
    assert parsed.introduction == "Le texte du préambule."
