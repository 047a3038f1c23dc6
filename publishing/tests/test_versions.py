"""Named versions freeze the whole charter content, fingerprinted with SHA-256."""

import datetime
import hashlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from charter.choices import SignatoryRole
from charter.models import ActionPage
from engagements.models import Commitment
from glossary.models import LexiconEntry
from publishing.models import CharterVersion
from publishing.selectors import previous_version, version_in_force
from publishing.services import version_create

pytestmark = pytest.mark.django_db


def test_snapshot_holds_the_whole_charter(version_2017, charter_page):
    snapshot = version_2017.snapshot
    assert [o["number"] for o in snapshot["orientations"]] == [1, 2, 3]
    actions = [a for o in snapshot["orientations"] for a in o["actions"]]
    assert len(actions) == ActionPage.objects.descendant_of(charter_page).count() == 6
    assert len(snapshot["commitments"]) == Commitment.objects.for_charter(charter_page).count()
    assert len(snapshot["lexicon"]) == LexiconEntry.objects.filter(charter=charter_page).count()
    assert len(snapshot["signatories"]) == charter_page.signatories.count()
    roles = [s["role"] for s in snapshot["signatories"]]
    assert roles[:2] == [SignatoryRole.COPILOT, SignatoryRole.COPILOT]
    assert SignatoryRole.COPILOT not in roles[2:]
    assert snapshot["declarations"][0]["partner"].startswith("Union des propriétaires")
    assert snapshot["version"] == {"name": "Charte 2017", "date": "2017-12-14"}


def test_fingerprint_is_the_sha256_of_the_canonical_snapshot(version_2017):
    canonical = json.dumps(
        version_2017.snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert version_2017.fingerprint == hashlib.sha256(canonical.encode()).hexdigest()


def test_a_version_is_frozen_while_the_charter_moves_on(version_2017, charter_page, superuser):
    commitment = Commitment.objects.for_charter(charter_page).first()
    before = commitment.text
    Commitment.objects.filter(pk=commitment.pk).update(text="Nouveau texte")
    version_2017.refresh_from_db()
    assert before in [c["text"] for c in version_2017.snapshot["commitments"]]
    later = version_create(
        charter=charter_page,
        name="Avenant n°1 2020",
        effective_date=datetime.date(2020, 6, 1),
        user=superuser,
    )
    assert "Nouveau texte" in [c["text"] for c in later.snapshot["commitments"]]
    assert later.fingerprint != version_2017.fingerprint


def test_snapshot_takes_the_latest_draft_of_each_page(charter_page, superuser):
    action = ActionPage.objects.descendant_of(charter_page).get(code="3")
    action.title = "Titre révisé, pas encore publié"
    action.save_revision(user=superuser)
    version = version_create(
        charter=charter_page,
        name="Projet",
        effective_date=datetime.date(2026, 1, 1),
        user=superuser,
    )
    titles = [a["title"] for o in version.snapshot["orientations"] for a in o["actions"]]
    assert "Titre révisé, pas encore publié" in titles


def test_version_create_query_count(charter_page, superuser, django_assert_max_num_queries):
    # Warm-up (content-type and log-action caches), then a constant count whatever the size of
    # the charter: its actions and commitments cost one query each kind, not one per row
    # (about 22, plus 4 for Wagtail's reference index once the admin has registered it).
    version_create(
        charter=charter_page,
        name="Échauffement",
        effective_date=datetime.date(2017, 1, 1),
        user=superuser,
    )
    # 29: the commitments' co-partners, prefetched once (issue 17).
    with django_assert_max_num_queries(29):
        version_create(
            charter=charter_page,
            name="Charte 2017",
            effective_date=datetime.date(2017, 12, 14),
            user=superuser,
        )


@pytest.mark.parametrize(
    ("name", "field", "message"),
    [
        ("  ", "name", "Donnez un nom à la version"),
        ("Charte 2017", "name", "Une version de cette charte porte déjà ce nom."),
    ],
)
def test_bad_version_input_is_refused(version_2017, charter_page, superuser, name, field, message):
    with pytest.raises(ValidationError) as error:
        version_create(
            charter=charter_page,
            name=name,
            effective_date=datetime.date(2018, 1, 1),
            user=superuser,
        )
    assert message in error.value.message_dict[field][0]
    assert CharterVersion.objects.count() == 1


def test_version_in_force_and_previous(version_2017, charter_page, superuser):
    avenant = version_create(
        charter=charter_page,
        name="Avenant n°1 2020",
        effective_date=datetime.date(2020, 6, 1),
        user=superuser,
        is_public=True,
    )
    future = version_create(
        charter=charter_page,
        name="Avenant n°2 2099",
        effective_date=datetime.date(2099, 1, 1),
        user=superuser,
        is_public=True,
    )
    version_create(
        charter=charter_page,
        name="Projet non public",
        effective_date=datetime.date(2021, 1, 1),
        user=superuser,
    )
    assert version_in_force(charter=charter_page) == avenant
    assert previous_version(version=avenant) == version_2017
    assert previous_version(version=future) == avenant
    assert previous_version(version=version_2017) is None


def test_the_version_in_force_in_one_query_else_the_next_one(
    charter_page, superuser, django_assert_num_queries
):
    """Only future public versions: the most recent one, as before; the snapshot left out
    when asked (a page linking to the documents does not decode the frozen text)."""
    for name, year in (("Avenant 2098", 2098), ("Avenant 2099", 2099)):
        version_create(
            charter=charter_page,
            name=name,
            effective_date=datetime.date(year, 1, 1),
            user=superuser,
            is_public=True,
        )
    with django_assert_num_queries(1):
        version = version_in_force(charter=charter_page, snapshot=False)
    assert version.name == "Avenant 2099"
    assert "snapshot" in version.get_deferred_fields()
    in_force = version_create(
        charter=charter_page,
        name="Charte 2017",
        effective_date=datetime.date(2017, 12, 14),
        user=superuser,
        is_public=True,
    )
    with django_assert_num_queries(1):
        assert version_in_force(charter=charter_page) == in_force


def test_the_download_links_read_the_frozen_text_only_to_make_the_docx(version_2017):
    from publishing.downloads import version_downloads

    first = version_downloads(charter=version_2017.charter)  # makes the DOCX
    assert first["docx_size"] > 0
    again = version_downloads(charter=version_2017.charter)  # from the cache
    assert again["docx_path"] == first["docx_path"]
    assert "snapshot" in again["version"].get_deferred_fields()


def _with_drafts(charter, user):
    """Orientation 3 unpublished; action 3 (orientation 2) edited and saved without publishing."""
    from charter.models import ActionPage, OrientationPage

    OrientationPage.objects.child_of(charter).get(number=3).unpublish(user=user)
    action = ActionPage.objects.descendant_of(charter).get(code="3")
    published_objectives = action.objectives
    action.objectives = "Texte en cours de rédaction, jamais publié"
    action.save_revision(user=user)
    return published_objectives


def test_public_version_freezes_published_content_only(charter_page, superuser):
    published_objectives = _with_drafts(charter_page, superuser)
    version = version_create(
        charter=charter_page,
        name="Publique",
        effective_date=datetime.date(2018, 1, 1),
        user=superuser,
        is_public=True,
    )
    snapshot = version.snapshot
    assert 3 not in [o["number"] for o in snapshot["orientations"]]
    assert all(c["orientation"] != 3 for c in snapshot["commitments"])
    [action] = [a for o in snapshot["orientations"] for a in o["actions"] if a["code"] == "3"]
    assert action["fiche"]["objectives"] == published_objectives
    assert "drafts" not in snapshot and version.drafts == []


def test_internal_version_lists_its_drafts_and_can_never_be_public(
    admin_client, charter_page, superuser
):
    _with_drafts(charter_page, superuser)
    version = version_create(
        charter=charter_page,
        name="Interne",
        effective_date=datetime.date(2018, 1, 1),
        user=superuser,
        is_public=False,
    )
    assert any("orientation 3" in d and "dépubliée" in d for d in version.drafts)
    assert any("action 3" in d and "modifications non publiées" in d for d in version.drafts)
    [action] = [
        a for o in version.snapshot["orientations"] for a in o["actions"] if a["code"] == "3"
    ]
    assert action["fiche"]["objectives"] == "Texte en cours de rédaction, jamais publié"

    response = admin_client.post(
        reverse("charter_versions:edit", args=[version.pk]), {"is_public": "on"}
    )
    assert response.status_code == 200
    assert "ne peut pas être visible sur le site public" in response.content.decode()
    version.refresh_from_db()
    assert not version.is_public
