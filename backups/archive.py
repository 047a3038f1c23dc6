"""Backup and restore of the whole platform: one zip with the database rows and the media.

The zip holds:
- `data.json`: every row of every model, in Django's serialisation format (what `dumpdata`
  writes, so `loaddata` reads it), primary keys kept. Foreign keys to content types and
  permissions are written as natural keys (`["charter", "actionpage"]`): those two tables are
  rebuilt by `migrate` and their ids may differ in the target database. Not saved, because they
  are rebuilt: content types, permissions, sessions, the search index (`update_index`);
- `media/…`: every file under MEDIA_ROOT (documents, images, signed copies, the DOCX cache);
- `manifest.json`: the format, the date, the row count per model, the SHA-256 of every file of
  the zip and the content types of the source database (to translate the content type ids kept
  inside page revisions);
- `manifest.sig`: an HMAC-SHA256 of `manifest.json`, keyed by BACKUP_SIGNING_KEY (SECRET_KEY when
  unset): only an installation holding that key can write an archive that a restore accepts.

The zip is written readable by its owner only (0600): it holds every row, password hashes too.

A restore checks the whole archive before it changes anything (signature, names, checksums, row
counts per model, every media destination inside MEDIA_ROOT), then replaces the content of the
database in one transaction (all or nothing) and writes the media files inside that transaction
(a failure rolls the database back).
"""

import datetime
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

FORMAT_VERSION = 1
DATA_NAME = "data.json"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.sig"
SIGNATURE_SALT = "backups.archive.manifest"
MEDIA_PREFIX = "media/"
# Rebuilt by migrate / update_index / logins: never saved, never restored.
EXCLUDED_MODELS = {
    "contenttypes.ContentType",
    "auth.Permission",
    "sessions.Session",
    "wagtailsearch.IndexEntry",
    "wagtailsearch.SQLiteFTSIndexEntry",
}
# Tables emptied by a restore although they are not in the archive (stale otherwise).
FLUSHED = {
    "sessions.Session",
    "wagtailsearch.IndexEntry",
    "wagtailsearch.SQLiteFTSIndexEntry",
}
NATURAL_KEY_MODELS = (ContentType, Permission)
# Records that mean "this database already has content" (a migrated database has none).
CONTENT_MODELS = (
    "auth.User",
    "charter.Partner",
    "charter.CharterPage",
    "engagements.Commitment",
    "glossary.LexiconEntry",
    "wagtaildocs.Document",
    "wagtailimages.Image",
    "publishing.CharterVersion",
)


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder keeps only milliseconds (as dumpdata does): a backup keeps every digit."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is French, for the operator."""


class _Serializer(PythonSerializer):
    """Django's serialiser, with natural keys only for content types and permissions."""

    def _natural(self, field) -> bool:
        return issubclass(field.remote_field.model, NATURAL_KEY_MODELS)

    def handle_fk_field(self, obj, field):
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj, field):
        self.use_natural_foreign_keys = self._natural(field)
        super().handle_m2m_field(obj, field)


def saved_models() -> list:
    """The models whose rows are saved (concrete, managed; m2m rows travel with their model)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.label not in EXCLUDED_MODELS
        and model._meta.managed
        and not model._meta.proxy
    ]


def serialize_model(model) -> list[dict]:
    """Every row of one model (base manager: nothing filtered), ordered by primary key."""
    queryset = model._base_manager.order_by(model._meta.pk.name)
    return _Serializer().serialize(queryset.iterator(chunk_size=2000))


def content_type_map() -> dict[str, str]:
    return {str(ct.pk): f"{ct.app_label}.{ct.model}" for ct in ContentType.objects.all()}


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files() -> list[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(
        (path, MEDIA_PREFIX + path.relative_to(root).as_posix())
        for path in root.rglob("*")
        if path.is_file() and not path.name.endswith(".tmp")
    )


def signing_key() -> str:
    """BACKUP_SIGNING_KEY, or SECRET_KEY when it is not set."""
    return getattr(settings, "BACKUP_SIGNING_KEY", "") or settings.SECRET_KEY


def sign_manifest(manifest: bytes) -> str:
    """The HMAC-SHA256 (hex) of the manifest's exact bytes."""
    return salted_hmac(
        SIGNATURE_SALT, manifest, secret=signing_key(), algorithm="sha256"
    ).hexdigest()


def _open_private(path: Path):
    """A new binary file readable and writable by its owner only (0600), whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "wb")


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    rows: int
    models: int
    media_files: int


def create_backup(output: Path) -> BackupSummary:
    """Write the zip; the rows are read in one transaction (a consistent snapshot on PostgreSQL)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data_path = Path(tmp) / DATA_NAME
        counts: dict[str, int] = {}
        with transaction.atomic():
            with data_path.open("w", encoding="utf-8") as handle:
                handle.write("[\n")
                first = True
                for model in saved_models():
                    rows = serialize_model(model)
                    counts[model._meta.label] = len(rows)
                    for row in rows:
                        if not first:
                            handle.write(",\n")
                        json.dump(row, handle, cls=_Encoder, ensure_ascii=False)
                        first = False
                handle.write("\n]\n")
            content_types = content_type_map()
        media = _media_files()
        files = {DATA_NAME: _sha256_file(data_path)}
        files.update({name: _sha256_file(path) for path, name in media})
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "models": counts,
            "files": files,
            "content_types": content_types,
        }
        manifest_bytes = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
        partial = output.with_name(output.name + ".partial")
        with (
            _open_private(partial) as handle,
            zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            archive.writestr(MANIFEST_NAME, manifest_bytes)
            archive.writestr(SIGNATURE_NAME, sign_manifest(manifest_bytes))
            archive.write(data_path, DATA_NAME)
            for path, name in media:
                archive.write(path, name)
        partial.replace(output)
    return BackupSummary(output, sum(counts.values()), len(counts), len(media))


def database_has_content() -> list[str]:
    """The labels of the content models that have rows (empty for a freshly migrated database)."""
    return [label for label in CONTENT_MODELS if apps.get_model(label)._base_manager.exists()]


# A clean relative POSIX name: no empty, "." or ".." part, no backslash, colon or control
# character (drive letters, Windows separators, NUL).
_SAFE_PART = re.compile(r"[^/\\:\x00-\x1f]+")


def _safe_member(name: str) -> bool:
    """Only `data.json` and clean relative names under `media/`."""
    if name == DATA_NAME:
        return True
    if not isinstance(name, str) or not name.startswith(MEDIA_PREFIX):
        return False
    parts = name[len(MEDIA_PREFIX) :].split("/")
    return all(_SAFE_PART.fullmatch(part) and part not in (".", "..") for part in parts)


def media_destination(media_root: Path, name: str) -> Path:
    """Where a `media/…` member is written: refused unless it resolves inside MEDIA_ROOT.

    The resolution follows the symbolic links already there (a link inside MEDIA_ROOT that
    points elsewhere is refused too).
    """
    if not _safe_member(name) or name == DATA_NAME:
        raise BackupError(f"Nom de fichier refusé dans la sauvegarde : {name}")
    root = Path(media_root).resolve()
    destination = (root / PurePosixPath(name[len(MEDIA_PREFIX) :])).resolve()
    if destination == root or not destination.is_relative_to(root):
        raise BackupError(
            f"Fichier refusé dans la sauvegarde : {name} serait écrit hors du dossier des "
            f"médias ({root})."
        )
    return destination


def _check_signature(archive: zipfile.ZipFile, manifest_bytes: bytes, *, allow_unsigned: bool):
    try:
        signature = archive.read(SIGNATURE_NAME).decode("ascii", "replace").strip()
    except KeyError:
        if allow_unsigned:
            return
        raise BackupError(
            "La sauvegarde n'est pas signée : elle ne vient pas d'une installation de confiance "
            "ou elle a été écrite par une version antérieure. Vérifiez sa provenance, puis "
            "relancez avec --allow-unsigned si vous êtes certain de son contenu."
        ) from None
    if not constant_time_compare(signature, sign_manifest(manifest_bytes)):
        raise BackupError(
            "La signature de la sauvegarde est invalide : le manifeste a été modifié, ou la "
            "sauvegarde a été écrite avec une autre clé. Utilisez la même BACKUP_SIGNING_KEY "
            "(ou le même SECRET_KEY) que l'installation d'origine."
        )


def _check_counts(data_path: Path, expected: dict) -> None:
    """The rows of each model in data.json are exactly the manifest's counts."""
    try:
        rows = json.loads(data_path.read_text(encoding="utf-8"))
        found: dict[str, int] = {}
        for row in rows:
            label = row["model"].lower()
            found[label] = found.get(label, 0) + 1
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise BackupError("Les données de la sauvegarde sont illisibles.") from error
    if not isinstance(expected, dict):
        raise BackupError("Le manifeste de la sauvegarde est illisible (nombre d'enregistrements).")
    allowed = {model._meta.label_lower for model in saved_models()}
    announced = {str(label).lower(): count for label, count in expected.items()}
    for label in sorted(set(found) | set(announced)):
        if label in found and label not in allowed:
            raise BackupError(f"Modèle refusé dans la sauvegarde : {label}")
        if found.get(label, 0) != announced.get(label, 0):
            raise BackupError(
                f"Nombre d'enregistrements incohérent dans la sauvegarde pour {label} : "
                f"{announced.get(label, 0)} annoncés, {found.get(label, 0)} présents."
            )


def _read_verified(archive_path: Path, target: Path, *, allow_unsigned: bool = False) -> dict:
    """Extract the archive into `target` after checking every file against the manifest."""
    try:
        archive = zipfile.ZipFile(archive_path)
    except (OSError, zipfile.BadZipFile) as error:
        raise BackupError(f"Le fichier {archive_path} n'est pas une sauvegarde lisible.") from error
    with archive:
        try:
            manifest_bytes = archive.read(MANIFEST_NAME)
        except KeyError as error:
            raise BackupError(f"Le fichier {archive_path} ne contient pas de manifeste.") from error
        _check_signature(archive, manifest_bytes, allow_unsigned=allow_unsigned)
        try:
            manifest = json.loads(manifest_bytes)
        except ValueError as error:
            raise BackupError("Le manifeste de la sauvegarde est illisible.") from error
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
            raise BackupError("Format de sauvegarde inconnu.")
        files = manifest.get("files", {})
        if not isinstance(files, dict) or DATA_NAME not in files:
            raise BackupError("La sauvegarde ne contient pas les données.")
        # Every name checked before anything is extracted.
        for name in files:
            if not _safe_member(name):
                raise BackupError(f"Nom de fichier refusé dans la sauvegarde : {name}")
        for name, expected in files.items():
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(name) as source, destination.open("wb") as sink:
                    shutil.copyfileobj(source, sink)
            except KeyError as error:
                raise BackupError(f"Fichier manquant dans la sauvegarde : {name}") from error
            if _sha256_file(destination) != expected:
                raise BackupError(f"Fichier altéré dans la sauvegarde (SHA-256) : {name}")
    _check_counts(target / DATA_NAME, manifest.get("models"))
    return manifest


def _translate_content_types(data_path: Path, source_types: dict[str, str]) -> None:
    """Page revisions keep a content type id inside their JSON: translate it to this database's."""
    here = {label: str(pk) for pk, label in content_type_map().items()}
    mapping = {old: here.get(label) for old, label in source_types.items()}
    if all(old == new for old, new in mapping.items() if new is not None):
        return
    rows = json.loads(data_path.read_text(encoding="utf-8"))
    for row in rows:
        if row["model"] == "wagtailcore.revision" and isinstance(
            row["fields"].get("content"), dict
        ):
            content = row["fields"]["content"]
            old = str(content.get("content_type"))
            if mapping.get(old):
                content["content_type"] = int(mapping[old])
    data_path.write_text(json.dumps(rows, cls=_Encoder, ensure_ascii=False), "utf-8")


def _flush_tables() -> None:
    """Empty every table a restore fills (inside the caller's transaction)."""
    models = [*saved_models(), *(m for m in apps.get_models() if m._meta.label in FLUSHED)]
    tables = set()
    for model in models:
        tables.add(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            if field.remote_field.through._meta.auto_created:
                tables.add(field.remote_field.through._meta.db_table)
    existing = set(connection.introspection.table_names())
    statements = connection.ops.sql_flush(
        no_style(), sorted(tables & existing), reset_sequences=False, allow_cascade=True
    )
    connection.ops.execute_sql_flush(statements)


@dataclass(frozen=True)
class RestoreSummary:
    rows: int
    media_files: int


def restore_backup(
    archive_path: Path, *, force: bool = False, allow_unsigned: bool = False
) -> RestoreSummary:
    """Replace the database content and the media by the archive's; all or nothing."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"Fichier introuvable : {archive_path}")
    existing = database_has_content()
    if existing and not force:
        raise BackupError(
            "La base de données n'est pas vide (" + ", ".join(existing) + ") : la restauration "
            "remplacerait tout son contenu. Restaurez dans une base vide (créée par « migrate ») "
            "ou relancez avec --force pour confirmer."
        )
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        extracted = Path(tmp)
        manifest = _read_verified(archive_path, extracted, allow_unsigned=allow_unsigned)
        data_path = extracted / DATA_NAME
        media_names = [name for name in manifest["files"] if name != DATA_NAME]
        # Every destination checked before the database or MEDIA_ROOT is touched.
        destinations = {name: media_destination(media_root, name) for name in media_names}
        _translate_content_types(data_path, manifest.get("content_types", {}))
        with transaction.atomic():
            _flush_tables()
            call_command("loaddata", str(data_path), verbosity=0)
            for name, destination in destinations.items():
                destination.parent.mkdir(parents=True, exist_ok=True)
                # Checked again: a directory created above must not have become a link.
                if media_destination(media_root, name) != destination:
                    raise BackupError(f"Fichier refusé dans la sauvegarde : {name}")
                shutil.copyfile(extracted / name, destination)
    call_command("update_index", verbosity=0)
    return RestoreSummary(sum(manifest["models"].values()), len(media_names))
