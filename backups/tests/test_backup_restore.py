"""A backup restored into an emptied database gives back every record of every model."""

import json
import zipfile
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import CommandError, call_command

from backups.archive import (
    DATA_NAME,
    MANIFEST_NAME,
    content_type_map,
    saved_models,
    serialize_model,
)
from charter.models import CharterPage
from engagements.models import Commitment

# A normal (rolled-back) test: the flush and the restore happen inside the test's transaction,
# so the session-wide synthetic charter is back for the other tests whatever happens here.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_cached_content_types():
    """Django's flush recreates content types with new ids and the process caches them: after
    the rollback, the cache must not keep ids that only existed inside this test."""
    yield
    ContentType.objects.clear_cache()
    cache.clear()


def _canonical(value):
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def snapshot() -> dict[str, Counter]:
    """Every row of every saved model, m2m lists sorted, content type ids as natural keys."""
    types = content_type_map()
    rows = {}
    for model in saved_models():
        model_rows = []
        for row in serialize_model(model):
            fields = {
                name: sorted(value, key=_canonical) if isinstance(value, list) else value
                for name, value in row["fields"].items()
            }
            content = fields.get("content")
            if row["model"] == "wagtailcore.revision" and isinstance(content, dict):
                content = {**content, "content_type": types.get(str(content.get("content_type")))}
                fields["content"] = content
            model_rows.append(_canonical({"pk": row["pk"], "fields": fields}))
        rows[model._meta.label] = Counter(model_rows)
    return rows


def test_backup_then_restore_into_an_empty_database_gives_back_every_record(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    document = settings.MEDIA_ROOT / "documents" / "compte-rendu.txt"
    document.parent.mkdir(parents=True)
    document.write_bytes("Compte rendu du comité — décembre".encode())
    before = snapshot()
    demo_commitments = Commitment.objects.count()
    assert demo_commitments == 20  # tests/synthetic.py
    archive_path = tmp_path / "sauvegarde.zip"

    call_command("backup", output=str(archive_path), verbosity=0)

    with zipfile.ZipFile(archive_path) as archive:
        manifest = json.loads(archive.read(MANIFEST_NAME))
        names = set(archive.namelist())
    assert {DATA_NAME, MANIFEST_NAME, "media/documents/compte-rendu.txt"} <= names
    assert manifest["models"]["engagements.Commitment"] == demo_commitments
    assert "contenttypes.ContentType" not in manifest["models"]
    assert "sessions.Session" not in manifest["models"]
    assert len(manifest["files"]["media/documents/compte-rendu.txt"]) == 64

    # An empty database: Django's own flush (content types and permissions are rebuilt by the
    # post_migrate signal, with new ids), and no media.
    call_command("flush", interactive=False, verbosity=0)
    document.unlink()
    assert not CharterPage.objects.exists()
    assert ContentType.objects.exists()

    call_command("restore", str(archive_path), verbosity=0)

    after = snapshot()
    assert after.keys() == before.keys()
    differing = [label for label in before if before[label] != after[label]]
    assert differing == []
    assert sum(len(c) for c in after.values()) == sum(manifest["models"].values())
    assert document.read_text() == "Compte rendu du comité — décembre"
    # The synthetic charter the other tests rely on is there as before.
    assert CharterPage.objects.filter(slug="charte-synthetique").exists()
    assert Commitment.objects.count() == demo_commitments
    # update_index ran: the restored pages are searchable again.
    assert CharterPage.objects.live().search("Testville")


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive_path = tmp_path / "sauvegarde.zip"
    call_command("backup", output=str(archive_path), verbosity=0)
    pages = CharterPage.objects.count()
    with pytest.raises(CommandError, match=r"n'est pas vide.*--force"):
        call_command("restore", str(archive_path), verbosity=0)
    assert CharterPage.objects.count() == pages


def test_restore_refuses_an_altered_archive_and_changes_nothing(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive_path = tmp_path / "sauvegarde.zip"
    call_command("backup", output=str(archive_path), verbosity=0)
    altered = tmp_path / "alteree.zip"
    with zipfile.ZipFile(archive_path) as source, zipfile.ZipFile(altered, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == DATA_NAME:
                data = data.replace(b"Testville", b"Modifiee!")
            target.writestr(item, data)
    commitments = Commitment.objects.count()
    with pytest.raises(CommandError, match="altéré"):
        call_command("restore", str(altered), "--force", verbosity=0)
    assert Commitment.objects.count() == commitments
    assert apps.get_model("charter.CharterPage").objects.filter(slug="charte-synthetique").exists()
