"""Clause-level comparison of two versions."""

import datetime

import pytest

from charter.models import ActionPage
from engagements.models import Commitment
from glossary.models import LexiconEntry
from publishing.diff import ADDED, CHANGED, REMOVED, compare, inline_diff
from publishing.services import version_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def amended(version_2017, charter_page, superuser):
    """An amendment: a commitment reworded, one added, a lexicon entry removed, a fiche field."""
    commitment = Commitment.objects.for_charter(charter_page).order_by("pk").first()
    commitment.text = commitment.text + " dans un délai de deux mois"
    commitment.save()
    Commitment.objects.create(
        action=commitment.action, partner=commitment.partner, position=99, text="Nouvel engagement"
    )
    LexiconEntry.objects.filter(charter=charter_page, term="CAF").delete()
    action = ActionPage.objects.descendant_of(charter_page).get(code="3")
    action.objectives = "Réduire les délais de traitement"
    action.save_revision(user=superuser).publish(user=superuser)
    version = version_create(
        charter=charter_page,
        name="Avenant n°1 2020",
        effective_date=datetime.date(2020, 6, 1),
        user=superuser,
        is_public=True,
    )
    return version, commitment


def _by_title(sections):
    return {section.title: section.changes for section in sections}


def test_diff_lists_added_removed_and_changed_clauses(version_2017, amended):
    version, commitment = amended
    sections = _by_title(compare(version_2017.snapshot, version.snapshot))
    assert set(sections) == {
        "Actions et fiches action",
        "Engagements des partenaires",
        "Lexique et sigles",
    }
    engagements = sections["Engagements des partenaires"]
    assert sorted(c.kind for c in engagements) == [ADDED, CHANGED]
    changed = next(c for c in engagements if c.kind == CHANGED)
    assert changed.label.startswith(f"{commitment.partner.name} — action {commitment.action.code}")
    assert "<ins>" in changed.fields[0].html and "deux" in changed.fields[0].html
    assert [(c.kind, c.label) for c in sections["Lexique et sigles"]] == [(REMOVED, "CAF")]
    [action_change] = sections["Actions et fiches action"]
    assert action_change.label.startswith("Action 3 :")
    assert [f.label for f in action_change.fields] == ["Objectifs"]


def test_no_change_between_identical_contents(version_2017):
    assert compare(version_2017.snapshot, version_2017.snapshot) == []


def test_inline_diff_escapes_user_text():
    html = inline_diff("avant <b>x</b>", "après <script>alert(1)</script>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<del>" in html and "<ins>" in html and "alert(1)" in html


def test_line_endings_and_trailing_spaces_are_no_change(version_2017, charter_page, superuser):
    """A form posts `\\r\\n`: the UNPI's declaration, untouched otherwise, is not « Modifié »."""
    declaration = charter_page.declarations.get()
    declaration.text = declaration.text.replace("\n", "  \r\n") + "\r\n"
    declaration.save()
    again = version_create(
        charter=charter_page,
        name="Même texte",
        effective_date=datetime.date(2018, 1, 1),
        user=superuser,
        is_public=False,
    )
    assert "\r\n" in again.snapshot["declarations"][0]["text"]
    assert compare(version_2017.snapshot, again.snapshot) == []


def test_markdown_lists_stay_lists_in_the_diff():
    html = inline_diff(
        "Intro.\n\n- premier point\n- second point", "Intro.\n\n- premier point\n- autre point"
    )
    assert html.startswith("<p>Intro.</p><ul><li>premier point</li><li>")
    assert html.endswith("</li></ul>")
    assert html.count("<li>") == 2
    assert '<del><span class="diff-alt">[supprimé : </span>second' in html
    assert '<ins><span class="diff-alt">[ajouté : </span>autre' in html


def test_added_and_removed_blocks_are_marked_whole():
    html = inline_diff("1. un\n2. deux", "1. un\n2. deux\n3. trois\n\nFin.")
    assert html.startswith("<ol><li>un</li><li>deux</li><li><ins>")
    assert html.endswith(
        'trois<span class="diff-alt">]</span></ins></li></ol><p><ins>'
        '<span class="diff-alt">[ajouté : </span>Fin.'
        '<span class="diff-alt">]</span></ins></p>'
    )
