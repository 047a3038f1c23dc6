"""Unit tests for the OCR repair rules (invented sentences, no database)."""

import pytest

from charter.parsing import cleanup
from charter.parsing.cleanup import (
    collapse_spaces,
    drop_stray_bullet_glyphs,
    fix_capital_i_elision,
    fix_cedilla_losses,
    fix_decoration_glyphs,
    fix_grave_accent_losses,
    fix_ligature_losses,
    fix_preposition_a,
    fold,
    join_continuation_lines,
    join_hyphenated_words,
    join_wrapped_lines,
    normalize_apostrophes,
    normalize_whitespace,
    repair_characters,
    repair_text,
    sentence_case,
    strip_emphasis,
    strip_html,
)


def test_normalize_whitespace_unifies_line_ends_and_spaces():
    assert (
        normalize_whitespace("Un\r\ndeux\u00a0trois \t\rquatre\u202f:")
        == "Un\ndeux trois\nquatre :"
    )


def test_normalize_apostrophes():
    assert normalize_apostrophes("L’État et l‘aide") == "L'État et l'aide"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Depuis le 1<sup>er</sup> mai", "Depuis le 1er mai"),
        ("Un <u>mot</u> et <i>une idée</i>", "Un mot et une idée"),
        ("voir <http://www.exemple.fr> et 3 < 4", "voir http://www.exemple.fr et 3 < 4"),
        ("Prix &amp; conditions", "Prix & conditions"),
    ],
)
def test_strip_html_keeps_inline_text(raw, expected):
    assert strip_html(raw) == expected


def test_strip_html_turns_block_tags_into_line_breaks():
    assert strip_html("<p>Bonjour</p><p>le monde</p>").split() == ["Bonjour", "le", "monde"]
    assert "\n" in strip_html("<p>Bonjour</p><p>le monde</p>").strip()
    result = strip_html('<ul style="list-style-type: none"> - une loi - un décret')
    assert result.strip() == "- une loi - un décret"
    assert [
        line for line in strip_html("<ul><li>un</li><li>deux</li></ul>").split("\n") if line
    ] == [
        "- un",
        "- deux",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("**Titre sur\ndeux lignes**", "Titre sur deux lignes"),
        ("**TITRE\nSUR\nTROIS LIGNES**\n\nTexte", "TITRE SUR TROIS LIGNES\n\nTexte"),
        ("*Action 9 : une action\nsur deux lignes*", "Action 9 : une action sur deux lignes"),
        ("Un *mot* et un **autre**.", "Un mot et un autre."),
        ("## **ENJEUX**", "## ENJEUX"),
    ],
)
def test_strip_emphasis_removes_markers(raw, expected):
    assert strip_emphasis(raw) == expected


@pytest.mark.parametrize("raw", ["**début\n\nfin**", "* item\n* autre", "2*3*4"])
def test_strip_emphasis_leaves_lists_products_and_paragraph_breaks(raw):
    assert strip_emphasis(raw) == raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("¢ Offrir un toit +", "♦ Offrir un toit ♦"),
        ("♦ Une ligne\nsuite de la ligne ♦", "♦ Une ligne suite de la ligne ♦"),
        ("Titre\n\n¢  Agir  ensemble ♦\n\nTexte", "Titre\n\n♦ Agir ensemble ♦\n\nTexte"),
    ],
)
def test_fix_decoration_glyphs(raw, expected):
    assert fix_decoration_glyphs(raw) == expected


@pytest.mark.parametrize("raw", ["Prix : 3 + 4", "¢ pas de fin", "¢ un\n\ndeux +"])
def test_fix_decoration_glyphs_ignores_other_text(raw):
    assert fix_decoration_glyphs(raw) == raw


def test_fix_capital_i_elision():
    assert fix_capital_i_elision("de I'article et I'hébergement") == "de l'article et l'hébergement"
    assert fix_capital_i_elision("I'assignation") == "l'assignation"
    assert fix_capital_i_elision("PARTIE I' et I'État") == "PARTIE I' et I'État"


def test_fix_ligature_losses():
    assert fix_ligature_losses("mise en ceuvre, une manceuvre") == "mise en œuvre, une manœuvre"
    assert fix_ligature_losses("Ceuvrer pour ceux-ci") == "Œuvrer pour ceux-ci"


def test_fix_cedilla_losses():
    raw = "dossiers recus, une lettre recue, Recu le 3, il recoit, la facon"
    expected = "dossiers reçus, une lettre reçue, Reçu le 3, il reçoit, la façon"
    assert fix_cedilla_losses(raw) == expected
    untouched = "un recul, un recueil, un recours, un recoin, il reçoit"
    assert fix_cedilla_losses(untouched) == untouched


def test_fix_grave_accent_losses_repairs_endings_and_verbs():
    raw = "en matiére de, ils relévent, aprés, Aprés, troisiéme, systéme, entiérement"
    expected = "en matière de, ils relèvent, après, Après, troisième, système, entièrement"
    assert fix_grave_accent_losses(raw) == expected
    assert fix_grave_accent_losses("elles considérent et gérent") == "elles considèrent et gèrent"


def test_fix_grave_accent_losses_keeps_correct_words():
    correct = "différent cohérent référent précédent élément événement procédure prés créée été"
    assert fix_grave_accent_losses(correct) == correct


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("relatif a la CCAPEX", "relatif à la CCAPEX"),
        ("relatives a son logement", "relatives à son logement"),
        ("a partir de 2018", "à partir de 2018"),
        ("Offrir a tous, partout", "Offrir à tous, partout"),
        ("de l'assignation a la demande", "de l'assignation à la demande"),
        ("aider a l'insertion", "aider à l'insertion"),
        ("ouvert a toutes les familles", "ouvert à toutes les familles"),
    ],
)
def test_fix_preposition_a_repairs_the_preposition(raw, expected):
    assert fix_preposition_a(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "il a la charge du dossier",
        "elle a tous les droits",
        "on a l'habitude",
        "le bailleur qui a la garde",
        "lorsqu'il a la possibilité",
        "la CCAPEX a la charge",
        "il y a la commission",
        "il a cette mission",
        "n'a la charge",
    ],
)
def test_fix_preposition_a_keeps_the_verb(raw):
    assert fix_preposition_a(raw) == raw


def test_drop_stray_bullet_glyphs():
    assert drop_stray_bullet_glyphs("- ▶ Mobiliser\n  - . aide") == "- Mobiliser\n  - aide"
    assert drop_stray_bullet_glyphs("- 3.5 points") == "- 3.5 points"


def test_collapse_spaces_keeps_indentation():
    assert collapse_spaces("Le  secrétariat   de\n - item  deux\n   ") == (
        "Le secrétariat de\n - item deux\n"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("les mutations inter- réservataires", "les mutations interréservataires"),
        ("les inter-\nbailleurs", "les interbailleurs"),
    ],
)
def test_join_hyphenated_words(raw, expected):
    assert join_hyphenated_words(raw) == expected


@pytest.mark.parametrize(
    "raw", ["État - Département", "Ile-de-France", "Fiche 3-1 - décret", "- Premier point"]
)
def test_join_hyphenated_words_keeps_real_hyphens(raw):
    assert join_hyphenated_words(raw) == raw


def test_join_continuation_lines_crosses_blank_lines():
    raw = "- Réunir les acteurs dans les\n\ndifférentes instances\n\nUne phrase\n### Titre\nsuite"
    expected = "- Réunir les acteurs dans les différentes instances\n\nUne phrase\n### Titre\nsuite"
    assert join_continuation_lines(raw) == expected


def test_join_wrapped_lines_joins_paragraphs_and_items_only():
    raw = (
        "Le secrétariat\nde la\nCCAPEX\n\n- un point\nqui continue\n- deux\n2018\nagir\nA\tB\nC\tD"
    )
    expected = (
        "Le secrétariat de la CCAPEX\n\n- un point qui continue\n- deux\n2018\nagir\nA\tB\nC\tD"
    )
    assert join_wrapped_lines(raw) == expected


def test_repair_characters_keeps_lines_and_repair_text_joins_them():
    raw = "**TITRE\nLONG**\n\nLe  dossier est recu\nen matiére de I'aide a la\npersonne.\n"
    assert repair_characters(raw) == (
        "TITRE LONG\n\nLe dossier est reçu\nen matière de l'aide à la\npersonne.\n"
    )
    assert (
        repair_text(raw) == "TITRE LONG\n\nLe dossier est reçu en matière de l'aide à la personne."
    )


def test_rules_are_applied_in_documented_order():
    names = [rule.__name__ for rule in cleanup.CHARACTER_RULES + cleanup.LAYOUT_RULES]
    assert names[:4] == [
        "normalize_whitespace",
        "normalize_apostrophes",
        "strip_html",
        "strip_emphasis",
    ]
    assert names[-3:] == ["join_hyphenated_words", "join_continuation_lines", "join_wrapped_lines"]
    assert len(names) == len(set(names)) == 15
    for name in names:
        assert name in cleanup.__doc__


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("MIEUX CONNAÎTRE LES EXPULSIONS LOCATIVES", "Mieux connaître les expulsions locatives"),
        ("L'ACCÈS AUX DROITS DE LA CCAPEX", "L'accès aux droits de la CCAPEX"),
        ("À DISPOSITION DE Paris", "À disposition de Paris"),
        ("", ""),
    ],
)
def test_sentence_case(raw, expected):
    assert sentence_case(raw, {"CCAPEX"}) == expected


def test_fold_ignores_accents_case_and_spacing():
    assert fold("Préfecture de  Police") == fold("prefecture de police")
    assert fold("Caisse d’allocations") == "caisse d'allocations"
