"""The saving path of a real import: the rows' saves replayed in batches, not one by one.

A real import runs row by row exactly as its preview does (nothing written, every row checked
against the records prefetched for the file); each row's save is recorded as an operation. If
every row is valid, the operations are written here in a few queries per batch, with what a
`Model.save()` would have brought: one simple-history row per saved row (its reason and user),
one Wagtail audit-log entry per saved row, the search index, the reference index, and the signal
the public page cache listens to (`post_create_historical_record`).

Batches follow the file's order: a row that moves an existing record onto another natural key
(partner, action, rank) is written on its own, after the rows before it, so that the database's
unique constraint sees the same sequence of states as the rows did.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from simple_history.signals import post_create_historical_record
from wagtail.log_actions import get_active_log_context, registry
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends

from .search_index import add_to_search_index

BATCH_SIZE = 500


@dataclass
class SaveOperation:
    """One row's save: the record as the row left it, and which record it is."""

    instance: models.Model
    token: Hashable


def _chunks(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class BulkWriter:
    """Writes recorded saves of one model in batches (history, audit log, indexes, cache)."""

    def __init__(
        self,
        *,
        model: type[models.Model],
        key: Callable[[models.Model], tuple],
        loaded_keys: dict[Hashable, tuple],
        log_action: str,
        log_data: dict,
        user=None,
        signal_key: Callable[[models.Model], Hashable] | None = None,
        update_fields: list[str] | None = None,
    ):
        self.model = model
        self.key = key
        # The natural key each record holds in the database (tokens of the existing records).
        self.written_keys = dict(loaded_keys)
        self.log_action = log_action
        self.log_data = log_data
        self.user = user
        self.pks: dict[Hashable, int] = {
            token: token for token in loaded_keys if isinstance(token, int)
        }
        self.auto_fields = [
            field
            for field in model._meta.concrete_fields
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ]
        # The columns an update writes: those the rows can change (all of them by default).
        self.fields = [
            field.name
            for field in model._meta.concrete_fields
            if not field.primary_key
            and (
                update_fields is None
                or field.name in update_fields
                or getattr(field, "auto_now", False)
            )
        ]
        self.signal_key = signal_key or (lambda instance: instance.pk)

    def write(self, operations: list[SaveOperation]) -> None:
        """Write every operation, in batches that keep the file's order where it matters."""
        segment: list[SaveOperation] = []
        for operation in operations:
            written = self.written_keys.get(operation.token)
            if written is not None and self.key(operation.instance) != written:
                # It moves a record the database holds: the rows before it first, then it alone.
                self._write_segment(segment)
                self._write_segment([operation])
                segment = []
            else:
                segment.append(operation)
        self._write_segment(segment)

    def _write_segment(self, segment: list[SaveOperation]) -> None:
        if not segment:
            return
        final: dict[Hashable, models.Model] = {}
        for operation in segment:
            final[operation.token] = operation.instance
        created = [token for token in final if token not in self.pks]
        updated = [token for token in final if token in self.pks]
        now = timezone.now()
        for operation in segment:
            # auto_now / auto_now_add, as Model.save() sets them (bulk_update would not).
            for field in self.auto_fields:
                if field.auto_now or getattr(operation.instance, field.attname) is None:
                    value = now if isinstance(field, models.DateTimeField) else now.date()
                    setattr(operation.instance, field.attname, value)
        to_create = [final[token] for token in created]
        for batch in _chunks(to_create):
            self.model._default_manager.bulk_create(batch)
        for token, instance in zip(created, to_create, strict=True):
            if instance.pk is None:  # a database that returns no ids from a bulk insert
                raise RuntimeError("bulk_create did not return the new ids")
            self.pks[token] = instance.pk
        to_update = [final[token] for token in updated]
        for instance, token in zip(to_update, updated, strict=True):
            instance.pk = self.pks[token]
        for batch in _chunks(to_update):
            self.model._default_manager.bulk_update(batch, self.fields)
        for token, instance in final.items():
            self.written_keys[token] = self.key(instance)
        for operation in segment:
            operation.instance.pk = self.pks[operation.token]
        self._history(segment, created=set(created))
        self._audit_log(segment)
        self._search_index(to_create, to_update)
        self._reference_index(to_create, to_update)

    def _history(self, segment: list[SaveOperation], *, created: set) -> None:
        """One historical record per saved row, « + » for a record's first save, else « ~ »."""
        manager = getattr(self.model, "history", None)
        if manager is None:
            return
        firsts, others, seen = [], [], set()
        for operation in segment:
            if operation.token in created and operation.token not in seen:
                firsts.append(operation.instance)
            else:
                others.append(operation.instance)
            seen.add(operation.token)
        last = {}
        for instances, update in ((firsts, False), (others, True)):
            if not instances:
                continue
            records = manager.bulk_history_create(instances, batch_size=BATCH_SIZE, update=update)
            for instance, record in zip(instances, records, strict=True):
                last[self.signal_key(instance)] = (instance, record)
        # The page cache's receiver (pages/cache.py) listens to this signal, which simple-history
        # sends for each save: sent once per `signal_key` (e.g. the partner and action of a
        # commitment), which names every public page the written records appear on.
        for instance, record in last.values():
            post_create_historical_record.send(
                sender=manager.model,
                instance=instance,
                history_instance=record,
                history_date=record.history_date,
                history_user=record.history_user,
                history_change_reason=record.history_change_reason,
                using=None,
            )

    def _audit_log(self, segment: list[SaveOperation]) -> None:
        """One Wagtail log entry per saved row, as `wagtail.log_actions.log` writes it."""
        log_model = registry.get_log_model_for_model(self.model)
        if log_model is None:
            return
        context = get_active_log_context()
        content_type = ContentType.objects.get_for_model(self.model, for_concrete_model=False)
        now = timezone.now()
        log_model.objects.bulk_create(
            [
                log_model(
                    content_type=content_type,
                    label=str(operation.instance)
                    or f"{self.model.__name__} object ({operation.instance.pk})",
                    action=self.log_action,
                    timestamp=now,
                    data=self.log_data,
                    user=self.user or context.user,
                    uuid=context.uuid,
                    object_id=str(operation.instance.pk),
                )
                for operation in segment
            ],
            batch_size=BATCH_SIZE,
        )

    def _search_index(self, created: list, updated: list) -> None:
        """The search backends' bulk indexing (what the post_save receiver does one by one)."""
        if not getattr(self.model, "search_auto_update", True) or not (created or updated):
            return
        content_type = ContentType.objects.get_for_model(self.model)
        for backend in get_search_backends(with_auto_update=True):
            index = backend.get_index_for_model(self.model)
            entries = getattr(index, "entries", None)
            if entries is not None and updated:
                # The database backends update existing entries one query each (SQLite): the
                # entries of the updated records are replaced instead.
                for batch in _chunks(updated):
                    entries.filter(
                        content_type_id=content_type.pk,
                        object_id__in=[str(instance.pk) for instance in batch],
                    )._raw_delete(using=entries.db)
            add_to_search_index(backend, self.model, [*created, *updated], batch_size=BATCH_SIZE)

    def _reference_index(self, created: list, updated: list) -> None:
        """Wagtail's reference index, as `ReferenceIndex.create_or_update_for_object` does."""
        if not ReferenceIndex.is_indexed(self.model):
            return
        content_types = [
            ContentType.objects.get_for_model(model, for_concrete_model=False)
            for model in [self.model, *self.model._meta.get_parent_list()]
        ]
        content_type, base = content_types[0], content_types[-1]
        known = {ct.pk for ct in content_types}
        for batch in _chunks([*created, *updated]):
            existing: dict[str, dict[tuple, int]] = {}
            ids = [str(instance.pk) for instance in batch]
            if updated:
                rows = ReferenceIndex.objects.filter(
                    base_content_type=base, object_id__in=ids
                ).values_list(
                    "id",
                    "object_id",
                    "content_type_id",
                    "to_content_type",
                    "to_object_id",
                    "model_path",
                    "content_path",
                )
                for pk, object_id, ct_id, to_ct, to_id, model_path, content_path in rows:
                    existing.setdefault(object_id, {})[(to_ct, to_id, model_path, content_path)] = (
                        pk if ct_id in known else None
                    )
            new, deleted = [], []
            for instance, object_id in zip(batch, ids, strict=True):
                references = set(ReferenceIndex._extract_references_from_object(instance))
                had = existing.get(object_id, {})
                new += [
                    ReferenceIndex(
                        content_type=content_type,
                        base_content_type=base,
                        object_id=object_id,
                        to_content_type_id=to_ct,
                        to_object_id=to_id,
                        model_path=model_path,
                        content_path=content_path,
                        content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                    )
                    for to_ct, to_id, model_path, content_path in references - had.keys()
                ]
                deleted += [pk for ref, pk in had.items() if ref not in references and pk]
            kwargs = {}
            if transaction.get_connection().features.supports_ignore_conflicts:
                kwargs["ignore_conflicts"] = True
            ReferenceIndex.objects.bulk_create(new, **kwargs)
            if deleted:
                ReferenceIndex.objects.filter(id__in=deleted).delete()
