"""The PostgreSQL search index of a batch of imported records: Wagtail's own rows, built faster.

Wagtail's PostgreSQL backend (`modelsearch`'s `PostgresIndex.add_items`) builds, for every
object, three `SearchVector` expressions and compiles them through Django's expression machinery
(resolve, copy, compile: about 1 ms of CPU per object, half the CPU of a 10,000-row import), and
reads each search field five times (title, body, autocomplete and their two plain texts).
Here each object's fields are read once, and a vector's SQL is compiled once per *shape* (the
weights of its non-empty texts and its configuration), by the backend's own `as_vector`, with
marker texts then replaced by the object's texts in the parameters: the statement and the rows
are the ones `add_items` writes (`test_import_search_index.py` compares them), in one
`INSERT … ON CONFLICT` per batch, then the backend's own title-norm refresh.

Any other backend (SQLite's FTS in tests and development) gets `backend.add_bulk`.
"""

from collections.abc import Hashable

from django.db import models
from django.db.models.sql.subqueries import InsertQuery
from modelsearch.backends.database.postgres.postgres import (
    EMPTY_VECTOR,
    IndexEntry,
    ObjectIndexer,
    PostgresIndex,
)
from modelsearch.utils import get_content_type_pk

_MARKER = "\x00modelsearch-text-{}\x00"


class _Shape:
    """What `as_vector` returns here: the texts, kept apart from the SQL of their shape."""

    def __init__(self, key: Hashable, texts: list[str]):
        self.key = key
        self.texts = texts


class _BatchIndexer(ObjectIndexer):
    """`ObjectIndexer`, each field read once and the vectors left uncompiled (`_Shape`)."""

    def __init__(self, obj, backend):
        super().__init__(obj, backend)
        self._prepared: dict[tuple[int, int], list] = {}

    def prepare_field(self, obj, field):
        key = (id(obj), id(field))
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = self._prepared[key] = list(super().prepare_field(obj, field))
        return prepared

    def as_vector(self, texts, for_autocomplete=False):
        texts = [(text.strip(), weight) for text, weight in texts]
        texts = [(text, weight) for text, weight in texts if text]
        return _Shape(
            (tuple(weight for _, weight in texts), for_autocomplete), [t for t, _ in texts]
        )


class _VectorSql:
    """The SQL of each vector shape, compiled once by the backend's own `as_vector`."""

    def __init__(self, backend, compiler, connection):
        self.backend = backend
        self.compiler = compiler
        self.connection = connection
        self.field = {
            name: IndexEntry._meta.get_field(name) for name in ("title", "autocomplete", "body")
        }
        self.compiled: dict[tuple, tuple[str, list, list[int | None]]] = {}

    def _compile(self, shape: _Shape, column: str):
        weights, for_autocomplete = shape.key
        markers = [_MARKER.format(number) for number in range(len(weights))]
        if markers:
            expression = ObjectIndexer.as_vector(
                self, list(zip(markers, weights, strict=True)), for_autocomplete
            )
        else:
            expression = EMPTY_VECTOR
        value = self.compiler.prepare_value(self.field[column], expression)
        sql, params = value.as_sql(self.compiler, self.connection)
        params = list(params)
        # Where each text goes among the parameters (None: a parameter kept as compiled).
        slots = [markers.index(param) if param in markers else None for param in params]
        if sorted(slot for slot in slots if slot is not None) != list(range(len(markers))):
            return None  # a text compiled into the SQL or used twice: not reusable
        return sql, params, slots

    # `ObjectIndexer.as_vector` reads these two attributes of its `self`.
    @property
    def config(self):
        return self.backend.config

    @property
    def autocomplete_config(self):
        return self.backend.autocomplete_config

    def sql(self, shape: _Shape, column: str) -> tuple[str, list] | None:
        key = (shape.key, column)
        if key not in self.compiled:
            self.compiled[key] = self._compile(shape, column)
        compiled = self.compiled[key]
        if compiled is None:
            return None
        sql, params, slots = compiled
        return sql, [
            param if slot is None else shape.texts[slot]
            for param, slot in zip(params, slots, strict=True)
        ]


def add_to_search_index(
    backend, model: type[models.Model], objects: list, *, batch_size: int
) -> None:
    """Index `objects` (one model) in `backend`, as `backend.add_bulk` does for each batch."""
    index = backend.get_index_for_model(model)
    batches = [objects[start : start + batch_size] for start in range(0, len(objects), batch_size)]
    if not isinstance(index, PostgresIndex):
        for batch in batches:
            backend.add_bulk(model, batch)
        return
    if not objects or not model.get_search_fields():
        return
    vectors = None
    for batch in batches:
        vectors = _insert(index, model, batch, vectors)
    # The backend's title norms, once for the whole import (add_items refreshes after each batch).
    index._refresh_title_norms()


def _insert(index, model, objects: list, vectors: "_VectorSql | None") -> "_VectorSql":
    """One `INSERT … ON CONFLICT` of the objects' entries: what `PostgresIndex.add_items` runs."""
    connection = index.write_connection
    compiler = InsertQuery(IndexEntry).get_compiler(connection=connection)
    vectors = vectors or _VectorSql(index.backend, compiler, connection)
    content_type_pk = get_content_type_pk(model)
    rows_sql, params = [], []
    for obj in objects:
        indexer = _BatchIndexer(obj, index.backend)
        parts = []
        for shape, column in (
            (indexer.title, "title"),
            (indexer.autocomplete, "autocomplete"),
            (indexer.body, "body"),
        ):
            compiled = vectors.sql(shape, column)
            if compiled is None:
                index.add_items(model, objects)  # an unexpected shape: the backend's own path
                return vectors
            parts.append(compiled)
        params += [content_type_pk, indexer.id]
        for _sql, values in parts:
            params += values
        params += [indexer.title_text, indexer.body_text]
        title, autocomplete, body = (sql for sql, _ in parts)
        rows_sql.append(f"(%s, %s, {title}, {autocomplete}, {body}, 1.0, %s, %s)")
    table = IndexEntry._meta.db_table
    with connection.cursor() as cursor:
        # The statement of PostgresIndex.add_items (modelsearch 1.3), unchanged.
        cursor.execute(
            f"""
                INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
                (VALUES {", ".join(rows_sql)})
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title,
                              title_norm = 1.0,
                              autocomplete = EXCLUDED.autocomplete,
                              body = EXCLUDED.body,
                              title_text = EXCLUDED.title_text,
                              body_text = EXCLUDED.body_text
                """,  # noqa: E501
            params,
        )
    return vectors
