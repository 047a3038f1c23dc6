"""Commitment rows: Django's full_clean() and one natural-key check on prefetched rows."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from charter.models import CharterPage
from engagements.models import Commitment
from engagements.tests.factories import CommitmentFactory, PartnerFactory
from imports.resources.commitments import ENFORCED_BY_FIELD_VALIDATORS, NATURAL_KEY
from imports.services import import_file

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pair():
    """Two commitments of one new partner for one action, at ranks 1 and 2."""
    partner = PartnerFactory()
    first = CommitmentFactory(partner=partner, position=1)
    second = CommitmentFactory(partner=partner, action=first.action, position=2)
    return first, second


def _import(data: str, user, *, dry_run: bool, charter=None):
    return import_file(
        kind="commitments",
        filename="engagements.csv",
        data=data.encode(),
        user=user,
        dry_run=dry_run,
        charter=charter,
    )


def _django_errors(commitment: Commitment) -> dict:
    """What Django's own full_clean() says of this commitment."""
    with pytest.raises(ValidationError) as raised:
        commitment.full_clean()
    return raised.value.message_dict


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_rank_already_taken_gets_djangos_constraint_message(superuser, pair, dry_run):
    first, second = pair
    moved = Commitment.objects.get(pk=first.pk)
    moved.position = second.position
    expected = _django_errors(moved)[NON_FIELD_ERRORS]
    report = _import(f"id,rang\n{first.pk},{second.position}\n", superuser, dry_run=dry_run)
    assert report.errors == [f"Ligne 2 : {expected[0]}"]
    assert Commitment.objects.get(pk=first.pk).position == first.position


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_field_error_is_djangos_own_message(superuser, pair, dry_run):
    first, _second = pair
    charter = CharterPage.objects.ancestor_of(first.action).get()
    blank = Commitment(partner=first.partner, action=first.action, position=5, text="")
    expected = _django_errors(blank)["text"]
    data = (
        "charte,partenaire,action,rang,engagement\n"
        f"{charter.slug},{first.partner.slug},{first.action.code},5,\n"
    )
    report = _import(data, superuser, dry_run=dry_run, charter=charter)
    assert report.errors == [f"Ligne 2, colonne « engagement » : {expected[0]}"]
    assert not Commitment.objects.filter(partner=first.partner, position=5).exists()


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_new_row_on_a_freed_rank_and_a_swap_follow_the_rows_before(superuser, pair, dry_run):
    """Rank 1 is freed by the first row, then taken by a new commitment: no false collision."""
    first, second = pair
    charter = CharterPage.objects.ancestor_of(first.action).get()
    data = (
        "id,charte,partenaire,action,rang,engagement\n"
        f"{first.pk},,,,3,\n"
        f",{charter.slug},{first.partner.slug},{first.action.code},1,Nouveau au rang 1\n"
        f"{second.pk},,,,3,\n"
    )
    report = _import(data, superuser, dry_run=dry_run, charter=charter)
    # The third row moves onto the rank the first row took: refused, so nothing is written.
    assert [row.outcome for row in report.rows] == ["modifié", "nouveau", "invalide"]
    assert report.errors == [
        "Ligne 4 : Ce partenaire a déjà un engagement à ce rang pour cette action."
    ]
    assert list(
        Commitment.objects.filter(partner=first.partner)
        .order_by("position")
        .values_list("pk", "position")
    ) == [(first.pk, 1), (second.pk, 2)]


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_constraint_the_import_does_not_know_is_still_checked_by_django(
    superuser, pair, dry_run, monkeypatch
):
    first, _second = pair
    extra = models.CheckConstraint(
        condition=models.Q(position__lte=50),
        name="test_position_at_most_50",
        violation_error_message="Le rang ne peut pas dépasser 50.",
    )
    monkeypatch.setattr(Commitment._meta, "constraints", [*Commitment._meta.constraints, extra])
    report = _import(f"id,rang\n{first.pk},60\n", superuser, dry_run=dry_run)
    assert report.errors == ["Ligne 2 : Le rang ne peut pas dépasser 50."]
    assert Commitment.objects.get(pk=first.pk).position == first.position


def test_the_constraints_the_import_skips_are_enforced_by_a_field_validator(pair):
    """Every constraint of a commitment is the natural key, or one full_clean() already enforces."""
    names = {constraint.name for constraint in Commitment._meta.constraints}
    assert names >= ENFORCED_BY_FIELD_VALIDATORS
    natural = [
        c
        for c in Commitment._meta.constraints
        if isinstance(c, models.UniqueConstraint) and tuple(c.fields) == NATURAL_KEY
    ]
    assert len(natural) == 1
    # commitment_progress_max_100: the field's validator refuses what the constraint refuses.
    commitment = Commitment.objects.get(pk=pair[0].pk)
    commitment.progress = 101
    with pytest.raises(ValidationError) as raised:
        commitment.full_clean(validate_constraints=False)
    assert set(raised.value.message_dict) == {"progress"}
    commitment.progress = 100
    commitment.full_clean(validate_constraints=False)


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_import_tests_do_not_import_the_benchmarks():
    offenders = {
        path.name: sorted(n for n in _imported_modules(path) if n.split(".")[0] == "bench")
        for path in sorted((ROOT / "imports" / "tests").glob("*.py"))
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_resources_and_bench_modules_stay_under_500_lines():
    files = [
        *(ROOT / "imports").glob("resources*.py"),
        *(ROOT / "imports" / "resources").glob("*.py"),
        *(ROOT / "bench").glob("*.py"),
    ]
    assert files
    long = {p.name: n for p in files if (n := len(p.read_text().splitlines())) > 500}
    assert long == {}
