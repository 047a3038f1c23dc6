"""Tests of the plan orientation parser and of the corpus detection/parsing."""

import pytest

from charter.parsing import detect_document_kind, parse_corpus, parse_plan_orientation
from demo.loader import DEMO_SEEDS_DIR

SEEDS = DEMO_SEEDS_DIR


@pytest.fixture(scope="module")
def orientation():
    text = (SEEDS / "pdalhpd-orientation-3.txt").read_text(encoding="utf-8")
    return parse_plan_orientation(text)


def test_number_and_title(orientation):
    assert orientation.number == 3
    assert orientation.title == (
        "Structurer la politique départementale de prévention de l'expulsion locative"
    )


def test_stakes(orientation):
    assert orientation.stakes == (
        "Mobiliser les partenaires et coordonner les actions du dispositif de prévention de"
        " l'expulsion.",
        "Recentrer la prévention en amont de la procédure judiciaire pour limiter l'expulsion"
        " locative.",
    )


def test_actions(orientation):
    assert [action.code for action in orientation.actions] == ["3-1", "3-2", "3-3", "3-4"]
    assert orientation.actions[1].title == (
        "Organiser la prise en charge socio-juridique des ménages du parc privé signalés en impayé"
        " de loyers au secrétariat CCAPEX"
    )
    assert orientation.actions[2].title.endswith("au sein de la CCAPEX")


def test_introduction_markdown(orientation):
    introduction = orientation.introduction
    assert introduction.startswith("Cette orientation renforce l'accompagnement des ménages")
    assert "#### Partenariat et gouvernance" in introduction
    assert "### Une politique de prévention de l'expulsion à structurer" in introduction
    assert "Depuis le 1er janvier 2015, ce secrétariat reçoit :" in introduction
    assert "  - aide dans les démarches pour apurer la dette locative," in introduction
    for forbidden in ("<sup>", "*", "ENJEUX", "▶", "\n\n\n"):
        assert forbidden not in introduction
    assert introduction.endswith("de bénéficier d'un accompagnement socio-juridique.")


def test_invented_orientation_with_inline_title():
    text = (
        "# Orientation 2 - Loger les ménages\n\nUn texte d'introduction\nsur deux lignes.\n\n"
        "## Contexte\n\nDu contexte.\n\nENJEUX :\n\n- ▶ Agir tôt\n\nACTIONS\n\n"
        "2-1 Créer un fonds.\n2-2 - Suivre\nles ménages\n2-3 Évaluer le\nPDALHPD\n\n"
        "Les actions seront évaluées.\n"
    )
    parsed = parse_plan_orientation(text)
    assert (parsed.number, parsed.title) == (2, "Loger les ménages")
    assert parsed.introduction == (
        "Un texte d'introduction sur deux lignes.\n\n### Contexte\n\nDu contexte."
    )
    assert parsed.stakes == ("Agir tôt",)
    assert [(a.code, a.title) for a in parsed.actions] == [
        ("2-1", "Créer un fonds"),
        ("2-2", "Suivre les ménages"),
        ("2-3", "Évaluer le PDALHPD"),
    ]


def test_invented_orientation_without_stakes_or_actions():
    parsed = parse_plan_orientation("## Orientation 5\n\n### Titre\n\nTexte.\n")
    assert (parsed.title, parsed.introduction, parsed.stakes, parsed.actions) == (
        "Titre",
        "Texte.",
        (),
        (),
    )


def test_parse_plan_orientation_requires_a_heading():
    with pytest.raises(ValueError, match="Orientation"):
        parse_plan_orientation("Rien à voir.")


# Corpus detection and parsing.


@pytest.mark.parametrize(
    ("file_name", "kind"),
    [
        ("paris-2017-annexes-2-3.txt", "charter"),
        ("pdalhpd-orientation-3.txt", "plan_orientation"),
        ("pdalhpd-fiche-3-1.txt", "fiche"),
        ("pdalhpd-fiche-3-3.txt", "fiche"),
        ("pdalhpd-fiche-3-4.txt", "fiche"),
    ],
)
def test_detect_document_kind_on_seeds(file_name, kind):
    assert detect_document_kind((SEEDS / file_name).read_text(encoding="utf-8")) == kind


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Compte rendu de la réunion du 3 mars.\n\n- point un\n- point deux\n",
        "ACTION 3-1\nUne action sans aucun champ.",
        "ORIENTATION N°1 : UN TITRE SEUL",
    ],
)
def test_detect_document_kind_returns_none_for_unrelated_text(text):
    assert detect_document_kind(text) is None


def test_parse_corpus_on_seeds():
    corpus = parse_corpus(SEEDS)
    assert corpus.skipped == ()
    assert corpus.charter is not None
    assert len(corpus.charter.partners) == 14
    assert [plan.number for plan in corpus.plan_orientations] == [3]
    assert [fiche.code for fiche in corpus.fiches] == ["3-1", "3-3", "3-4"]


def test_parse_corpus_reports_unknown_documents(tmp_path):
    (tmp_path / "notes.txt").write_text("Liste de courses : pain, lait.", encoding="utf-8")
    (tmp_path / "fiche-1-10.txt").write_text(
        "ACTION 1-10\nTitre\n\nCONSTATS\nA\n\nOBJECTIFS\nB\n\nMOYENS\nC\n", encoding="utf-8"
    )
    (tmp_path / "fiche-1-9.txt").write_text(
        "ACTION 1-9\nTitre\n\nCONSTATS\nA\n\nOBJECTIFS\nB\n\nMOYENS\nC\n", encoding="utf-8"
    )
    (tmp_path / "ignored.md").write_text("ACTION 1-1", encoding="utf-8")
    corpus = parse_corpus(tmp_path)
    assert corpus.skipped == ("notes.txt",)
    assert corpus.charter is None
    assert [fiche.code for fiche in corpus.fiches] == ["1-9", "1-10"]
