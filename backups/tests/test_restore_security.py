"""A restore accepts only an archive signed by this installation, and writes only in MEDIA_ROOT.

Issue 12, item 5: a member named `media//tmp/x` (its SHA-256 recomputed in the manifest) was
written to `/tmp/x`. The crafted archives below are re-signed with the installation's key (the
HMAC of the manifest, as `backup` writes it), so that each check is reached on its own; each is
refused and changes nothing: no file written anywhere, the database as before.
"""

import hashlib
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils.crypto import salted_hmac

from charter.models import CharterPage, Partner
from engagements.models import Commitment

pytestmark = pytest.mark.django_db

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
DATA = "data.json"


@pytest.fixture(autouse=True)
def _forget_cached_content_types():
    yield
    ContentType.objects.clear_cache()
    cache.clear()


def sign(manifest: bytes, key: str | None = None) -> str:
    """The signature format: HMAC-SHA256 of the manifest's bytes, salted, keyed by the setting."""
    secret = key or getattr(settings, "BACKUP_SIGNING_KEY", "") or settings.SECRET_KEY
    salt = "backups.archive.manifest"
    return salted_hmac(salt, manifest, secret=secret, algorithm="sha256").hexdigest()


def craft(
    source: Path,
    target: Path,
    *,
    extra: dict[str, bytes] | None = None,
    edit_data=None,
    edit_manifest=None,
    signature: str | None = "valid",
) -> Path:
    """A copy of a real backup, altered, with the checksums (and the signature) recomputed."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members.pop(MANIFEST))
    members.pop(SIGNATURE, None)
    if edit_data:
        rows = edit_data(json.loads(members[DATA]))
        members[DATA] = json.dumps(rows).encode()
    members.update(extra or {})
    manifest["files"] = {
        name: hashlib.sha256(content).hexdigest() for name, content in members.items()
    }
    if edit_manifest:
        edit_manifest(manifest)
    manifest_bytes = json.dumps(manifest, indent=2).encode()
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        if signature == "valid":
            archive.writestr(SIGNATURE, sign(manifest_bytes))
        elif signature is not None:
            archive.writestr(SIGNATURE, signature)
        for name, content in members.items():
            archive.writestr(name, content)
    return target


def files_under(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def database_state() -> tuple:
    return (
        Commitment.objects.count(),
        Partner.objects.count(),
        CharterPage.objects.filter(slug="charte-synthetique").count(),
        sorted(Commitment.objects.values_list("pk", flat=True))[:5],
    )


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = settings.MEDIA_ROOT / "documents" / "compte-rendu.txt"
    document.parent.mkdir(parents=True)
    document.write_bytes(b"compte rendu")
    return settings.MEDIA_ROOT


@pytest.fixture
def backup(tmp_path, media_root):
    path = tmp_path / "sauvegarde.zip"
    call_command("backup", output=str(path), verbosity=0)
    return path


def assert_refused(archive: Path, media_root: Path, match: str, *args: str) -> None:
    before_db, before_media = database_state(), files_under(media_root)
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(archive), "--force", *args, verbosity=0)
    assert database_state() == before_db
    assert files_under(media_root) == before_media


def test_a_member_with_an_absolute_path_is_refused_and_nothing_is_written(
    tmp_path, backup, media_root
):
    outside = tmp_path / "hors-medias" / "x.txt"
    name = "media/" + str(outside)  # media//tmp/…/hors-medias/x.txt
    assert name.startswith("media//")
    archive = craft(backup, tmp_path / "absolu.zip", extra={name: b"pwned"})
    assert_refused(archive, media_root, "refusé")
    assert not outside.exists()
    assert not outside.parent.exists()


@pytest.mark.parametrize(
    "name",
    [
        "media/../../hors-medias/x.txt",
        "media/documents/../../../hors-medias/x.txt",
        "media/..\\..\\hors-medias\\x.txt",
        "media/C:/hors-medias/x.txt",
        "media/./documents/x.txt",
        "autre/x.txt",
    ],
)
def test_a_member_outside_media_is_refused(tmp_path, backup, media_root, name):
    archive = craft(backup, tmp_path / "traversee.zip", extra={name: b"pwned"})
    assert_refused(archive, media_root, "refusé")
    assert not (tmp_path / "hors-medias").exists()


def test_a_symbolic_link_inside_media_root_is_not_followed(tmp_path, backup, media_root):
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (media_root / "lien").symlink_to(elsewhere, target_is_directory=True)
    archive = craft(backup, tmp_path / "lien.zip", extra={"media/lien/x.txt": b"pwned"})
    assert_refused(archive, media_root, "hors du dossier des médias")
    assert list(elsewhere.iterdir()) == []


def test_row_counts_that_differ_from_the_manifest_are_refused(tmp_path, backup, media_root):
    first = Commitment.objects.order_by("pk").first()

    def drop_one_commitment(rows):
        return [
            row
            for row in rows
            if not (row["model"] == "engagements.commitment" and row["pk"] == first.pk)
        ]

    archive = craft(backup, tmp_path / "moins.zip", edit_data=drop_one_commitment)
    assert_refused(archive, media_root, r"incohérent.*engagements\.commitment")
    assert Commitment.objects.filter(pk=first.pk).exists()


def test_an_announced_count_that_differs_is_refused(tmp_path, backup, media_root):
    def announce_more(manifest):
        manifest["models"]["charter.Partner"] += 1

    archive = craft(backup, tmp_path / "plus.zip", edit_manifest=announce_more)
    assert_refused(archive, media_root, "incohérent")


def test_an_altered_manifest_with_its_old_signature_is_refused(tmp_path, backup, media_root):
    with zipfile.ZipFile(backup) as archive:
        old_signature = archive.read(SIGNATURE).decode()
    archive = craft(
        backup,
        tmp_path / "signature.zip",
        extra={"media/documents/ajout.txt": b"ajout"},
        signature=old_signature,
    )
    assert_refused(archive, media_root, "signature de la sauvegarde est invalide")


def test_an_archive_signed_with_another_key_is_refused(tmp_path, backup, media_root):
    archive = craft(backup, tmp_path / "autre-cle.zip", signature=None)
    with zipfile.ZipFile(archive, "a") as handle:
        handle.writestr(SIGNATURE, sign(handle.read(MANIFEST), key="une-autre-installation" * 3))
    assert_refused(archive, media_root, "signature de la sauvegarde est invalide")


def test_an_unsigned_archive_is_refused_unless_explicitly_allowed(tmp_path, backup, media_root):
    archive = craft(backup, tmp_path / "non-signee.zip", signature=None)
    assert_refused(archive, media_root, "n'est pas signée.*--allow-unsigned")
    # The escape hatch for archives of earlier versions: every other check still applies.
    call_command("restore", str(archive), "--force", "--allow-unsigned", verbosity=0)
    assert CharterPage.objects.filter(slug="charte-synthetique").exists()
    outside = tmp_path / "hors-medias.txt"
    absolute = craft(
        backup,
        tmp_path / "non-signee-absolu.zip",
        extra={"media/" + str(outside): b"x"},
        signature=None,
    )
    assert_refused(absolute, media_root, "refusé", "--allow-unsigned")
    assert not outside.exists()


def test_a_backup_file_is_readable_by_its_owner_only(tmp_path, media_root):
    previous = os.umask(0o022)
    try:
        path = tmp_path / "sauvegarde.zip"
        call_command("backup", output=str(path), verbosity=0)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with zipfile.ZipFile(path) as archive:
        manifest = archive.read(MANIFEST)
        assert archive.read(SIGNATURE).decode() == sign(manifest)
