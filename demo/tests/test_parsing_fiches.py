"""Tests of the fiche action parser on the three real layouts and on invented fiches."""

import pytest

from charter.parsing import FICHE_FIELD_KEYS, parse_fiche
from charter.parsing.fiches import split_fields, to_markdown
from demo.loader import DEMO_SEEDS_DIR

SEEDS = DEMO_SEEDS_DIR
CODES = ("3-1", "3-3", "3-4")


@pytest.fixture(scope="module")
def fiches():
    return {
        code: parse_fiche((SEEDS / f"pdalhpd-fiche-{code}.txt").read_text(encoding="utf-8"))
        for code in CODES
    }


def test_codes_and_orientation(fiches):
    assert [fiche.code for fiche in fiches.values()] == list(CODES)
    assert {fiche.orientation_number for fiche in fiches.values()} == {3}
    assert fiches["3-1"].orientation_title is None
    assert fiches["3-4"].orientation_title == (
        "Structurer une politique départementale de prévention de l'expulsion locative"
    )


def test_titles(fiches):
    assert fiches["3-1"].title == "Elaborer une charte de prévention de l'expulsion locative"
    assert fiches["3-3"].title == (
        "Lancer une réflexion partenariale sur la création d'une cellule technique au sein de la"
        " CCAPEX"
    )
    assert fiches["3-4"].title == (
        "Définir un dispositif de répartition des signalements reçus au secrétariat de la CCAPEX"
        " entre les services sociaux"
    )


def test_taglines(fiches):
    assert fiches["3-1"].tagline == "Un engagement commun pour une action solidaire"
    assert fiches["3-3"].tagline == (
        "Une coordination renforcée pour une étude individualisée des situations des ménages"
    )
    assert fiches["3-4"].tagline == "Offrir à tous un accompagnement social"


def test_all_fields_present_and_non_empty(fiches):
    for fiche in fiches.values():
        assert tuple(key for key, _ in fiche.fields) == FICHE_FIELD_KEYS
        for key in FICHE_FIELD_KEYS:
            assert fiche.field(key), (fiche.code, key)
        assert fiche.field("implementation_timeline") == "2018"


def test_linked_codes(fiches):
    assert fiches["3-1"].linked_codes == ("3-2", "3-3", "3-4")
    assert fiches["3-3"].linked_codes == ("3-4", "3-2")
    assert fiches["3-4"].linked_codes == ("3-1", "3-3")


@pytest.mark.parametrize("forbidden", ["I'", "¢", "<", "**", "ceuvre", " recus", "matiére"])
def test_no_ocr_damage_left(fiches, forbidden):
    for fiche in fiches.values():
        for key, value in fiche.fields:
            assert forbidden not in value, (fiche.code, key)
        assert forbidden not in fiche.title + fiche.tagline


def test_legal_framework_never_contains_fiche_references(fiches):
    for fiche in fiches.values():
        assert "Fiche" not in fiche.field("legal_framework")
        assert "FICHES" not in fiche.field("legal_framework")


def test_interleaved_columns_of_fiche_3_4(fiches):
    items = fiches["3-4"].field("legal_framework").split("\n")
    assert items == [
        "- décret du 30 octobre 2015 relatif à la CCAPEX",
        "- décret du 31 mars 2016 relatif à la charte de prévention de l'expulsion locative",
        "- circulaire du 22 mars 2017 sur la mise en œuvre du plan interministériel de prévention"
        " de l'expulsion locative",
        "- priorité n°4 du plan quinquennal pour le Logement d'abord et la lutte contre le"
        " sans-abrisme 2018/2022",
    ]


def test_tab_layout_of_fiche_3_1(fiches):
    fiche = fiches["3-1"]
    assert fiche.field("target_audience") == (
        "- les ménages en procédure d'expulsion pour impayés de loyers\n"
        "- les acteurs du dispositif de prévention de l'expulsion"
    )
    objectives = fiche.field("objectives")
    assert objectives.startswith("Amélioration de la prévention de l'expulsion :\n\n- élaborer")
    assert objectives.count("\n- ") == 3
    procedures = fiche.field("operating_procedures")
    assert procedures.startswith("2018\n\n- élaborer la charte de prévention")
    assert procedures.count("\n- ") == 4
    assert len(fiche.field("legal_framework").split("\n")) == 4
    assert fiche.field("points_of_vigilance") == "Suivi des indicateurs"


def test_plain_layout_of_fiche_3_3(fiches):
    fiche = fiches["3-3"]
    assert fiche.field("pilots") == (
        "État - Département\n\nL'État et le Département organisent l'ensemble des travaux afin de"
        " tisser un partenariat solide lors de différents temps de réflexion"
    )
    assert fiche.field("operating_procedures").startswith("2018\n\n- constituer un groupe")
    assert "ACTION" not in fiche.field("operating_procedures")
    assert fiche.field("operating_procedures").endswith(
        "- veiller au développement d'EXPLOC auprès de tous les partenaires"
    )
    assert fiche.field("objectives").split("\n")[2] == (
        "- définir les dossiers complexes à soumettre à l'examen de la CCAPEX"
    )


def test_ocr_layout_of_fiche_3_4(fiches):
    constats = fiches["3-4"].field("constats")
    assert constats.count("\n\n") == 2
    assert "en matière d'accompangement social" in constats
    assert "relèvent de la CAF" in constats
    assert "de l'assignation à la demande de concours" in constats
    assert (
        fiches["3-4"]
        .field("operating_procedures")
        .endswith("après validation du COREP et de la CCAPEX stratégique")
    )


INVENTED_PLAIN = """Orientation 2 - Loger durablement

ACTION 2-5

Créer un fonds
d'aide

¢ Agir vite +

CONSTATS
Les ménages attendent
trop longtemps.

PILOTE DE L'ACTION
Département

OBJECTIFS
- réduire les délais de
traitement
- informer les
ménages

MODALITES OPERATOIRES
2025
- créer le fonds

DELAI DE MISE EN ŒUVRE
2025

LIENS AVEC D'AUTRES
FICHES DU PDALHPD
Fiche 2-1
Fiche 2-1
Fiche 1-3

CADRE JURIDIQUE
- loi du 31 mai 1990
"""


def test_invented_plain_fiche():
    fiche = parse_fiche(INVENTED_PLAIN)
    assert (fiche.code, fiche.orientation_number) == ("2-5", 2)
    assert fiche.orientation_title == "Loger durablement"
    assert fiche.title == "Créer un fonds d'aide"
    assert fiche.tagline == "Agir vite"
    assert fiche.field("constats") == "Les ménages attendent trop longtemps."
    assert fiche.field("pilots") == "Département"
    assert fiche.field("objectives") == "- réduire les délais de traitement\n- informer les ménages"
    assert fiche.field("operating_procedures") == "2025\n\n- créer le fonds"
    assert fiche.field("implementation_timeline") == "2025"
    assert fiche.linked_codes == ("2-1", "1-3")
    assert fiche.field("legal_framework") == "- loi du 31 mai 1990"
    assert fiche.field("resources") == ""
    assert fiche.as_dict()["pilots"] == "Département"


def test_invented_tab_fiche_with_html():
    text = (
        "ACTION 4-2\nAider les <u>bailleurs</u>\n\n♦ Ensemble ♦\n\n"
        "CONSTATS\tPeu d'aides.\n"
        "OBJECTIFS Mieux aider : - informer - orienter\tMOYENS Une équipe\n"
        "<p>LIENS AVEC D'AUTRES FICHES</p> <p>Fiche 4-1</p>\t<p>CADRE JURIDIQUE</p>"
        " <ul> - loi ALUR - décret relatif a la CCAPEX\n--\t---\n"
    )
    fiche = parse_fiche(text)
    assert fiche.title == "Aider les bailleurs"
    assert fiche.field("constats") == "Peu d'aides."
    assert fiche.field("objectives") == "Mieux aider :\n\n- informer\n- orienter"
    assert fiche.field("resources") == "Une équipe"
    assert fiche.linked_codes == ("4-1",)
    assert fiche.field("legal_framework") == "- loi ALUR\n- décret relatif à la CCAPEX"


def test_invented_interleaved_columns():
    text = (
        "ACTION 1-1\nAgir\n\nMOYENS\nAucun\n"
        "LIENS AVEC D'AUTRES CADRE JURIDIQUE\nFICHES DU PDALHPD\n- loi du 5 mars 2007\n"
        "Fiche 1-2 - décret relatif a la\nFiche 1-4 commission\n"
    )
    fiche = parse_fiche(text)
    assert fiche.linked_codes == ("1-2", "1-4")
    assert fiche.field("legal_framework") == (
        "- loi du 5 mars 2007\n- décret relatif à la commission"
    )


def test_parse_fiche_requires_an_action_marker():
    with pytest.raises(ValueError, match="ACTION"):
        parse_fiche("CONSTATS\nRien")


def test_unknown_field_key_raises():
    fiche = parse_fiche(INVENTED_PLAIN)
    with pytest.raises(KeyError):
        fiche.field("unknown")


def test_split_fields_finds_headings_inside_lines():
    pairs = split_fields("CONSTATS un\nPUBLICS VISES deux\tMOYENS trois")
    assert [key for key, _ in pairs] == ["constats", "target_audience", "resources"]
    assert pairs[2][1].strip() == "trois"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("- un - deux", "- un\n- deux"),
        ("État - Département", "État - Département"),
        ("Intro : - un - deux", "Intro :\n\n- un\n- deux"),
        ("2019 - un - deux", "2019\n\n- un\n- deux"),
        ("Texte\nsuite\n\nAutre texte", "Texte suite\n\nAutre texte"),
        ("- un\n\n- deux\nsuite\n\nFin", "- un\n- deux suite\n\nFin"),
        ("  ", ""),
    ],
)
def test_to_markdown(raw, expected):
    assert to_markdown(raw) == expected


def test_parsed_fiche_is_hashable(fiches):
    assert len({fiche: fiche.code for fiche in fiches.values()}) == 3
