"""The server records backend: canonical records in PostgreSQL, for many writers at once.

Same tables as the SQLite backend (``store.py``), so the skill library and episodic memory
run the same SQL on both (``?`` placeholders become ``%s`` here). What differs is how
writers that never see each other's process stay correct:

- every write is one transaction (autocommit outside them, so reads see committed data);
- writers of the same key serialise on a transaction-scoped advisory lock
  (``pg_advisory_xact_lock``, taken in one sorted statement so two batches cannot
  deadlock): a new skill version is ``max + 1`` read and inserted under the lock of its
  name, so versions have no gaps and no duplicates, and a merged outcome is never lost;
- creating the schema and the ``meta`` rows of a new memory takes the same kind of lock,
  so eight processes opening an empty database at once create it once;
- a writer killed mid-transaction has it rolled back by the server and its locks freed.

The lexical half of hybrid search is PostgreSQL's full-text search: a ``tsvector`` column
(English stemming and stopwords) with a GIN index, ranked by BM25 computed in SQL
(:meth:`PostgresLexical.search`; ``docs/memory.md`` compares it with ``ts_rank``).
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from agentkit.memory.entries import IndexEntry
from agentkit.memory.store import (
    SCHEMA_VERSION,
    MemoryBusy,
    MemoryCorrupt,
    _equalities,
    fts_words,
)

__all__ = ["PostgresLexical", "PostgresRecords"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS skills (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    environment TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created DOUBLE PRECISION NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (name, version)
);
CREATE TABLE IF NOT EXISTS episodes (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    environment TEXT NOT NULL,
    success INTEGER,
    created DOUBLE PRECISION NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS episodes_run ON episodes (run_id, iteration);
"""
_PLACEHOLDER = re.compile(r"\?")
# one advisory-lock space for agentkit; the second key is a hash of the lock's name
_LOCK_SQL = (
    "SELECT pg_advisory_xact_lock(h) FROM "
    "(SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(%s::text[]) AS k ORDER BY 1) s"
)


def _sql(statement: str) -> str:
    """The portable statement with PostgreSQL's placeholders (ours never contain a literal ?)."""
    return _PLACEHOLDER.sub("%s", statement)


class PostgresRecords:
    """One connection to the memory's database; see the module doc."""

    def __init__(self, conn: Any, where: str) -> None:
        self.conn = conn
        self.where = where
        self._guard = threading.RLock()
        self._depth = 0
        self.namespace = ""

    @classmethod
    def connect(cls, dsn: str, *, wait: float = 10.0) -> PostgresRecords:
        """Connect (``wait`` seconds at most), create the schema if missing, check its version."""
        try:
            import psycopg
        except ImportError as error:
            raise MemoryCorrupt(
                "the server memory backend needs psycopg: pip install 'psycopg[binary]' "
                "(or agentkit's [server] extra)"
            ) from error
        try:
            conn = psycopg.connect(dsn, autocommit=True, connect_timeout=max(1, int(wait)))
        except psycopg.OperationalError as error:
            raise MemoryBusy(f"cannot reach the memory's PostgreSQL: {error}".strip()) from error
        records = cls(conn, dsn)
        try:
            records._create_schema()
        except BaseException:
            conn.close()
            raise
        return records

    def _create_schema(self) -> None:
        with self.transaction():
            self.lock(["schema"])
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self.conn.execute(statement)
            version = self.meta("schema_version")
            if version is None:
                self.set_meta({"schema_version": str(SCHEMA_VERSION)})
            elif int(version) > SCHEMA_VERSION:
                raise MemoryCorrupt(
                    f"the memory database has schema version {version}, newer than this "
                    f"agentkit ({SCHEMA_VERSION}); upgrade agentkit to read it"
                )
            library = self.meta("library")
            if library is None:
                library = uuid.uuid4().hex[:8]
                self.set_meta({"library": library})
        self.namespace = f"{library}-"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._guard:
            return self.conn.execute(_sql(sql), list(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        with self._guard, self.conn.cursor() as cursor:
            cursor.executemany(_sql(sql), [list(row) for row in rows])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """One transaction; this connection's other threads wait for it (psycopg would
        otherwise run their statements inside it)."""
        with self._guard, self.conn.transaction():
            yield self.conn

    def lock(self, keys: Sequence[str]) -> None:
        if keys:
            self.conn.execute(_LOCK_SQL, [list(keys)])

    @contextlib.contextmanager
    def exclusive(self, key: str, *, wait: bool) -> Iterator[bool]:
        """A session-level advisory lock on ``key`` for the block."""
        with self._guard:
            if wait:
                self.conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 1))", [key])
                taken = True
            else:
                row = self.conn.execute(
                    "SELECT pg_try_advisory_lock(hashtextextended(%s, 1))", [key]
                ).fetchone()
                taken = bool(row[0])
        try:
            yield taken
        finally:
            if taken:
                with self._guard:
                    self.conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 1))", [key])

    def meta(self, key: str) -> str | None:
        row = self.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, values: dict[str, str]) -> None:
        self.executemany(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value=excluded.value",
            list(values.items()),
        )

    def lexical(self, kind: str) -> PostgresLexical:
        return PostgresLexical(self, kind)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()


class PostgresLexical:
    """Full-text search over the indexed documents in ``<kind>_fts``: a generated
    ``tsvector`` (English stemming and stopwords), a GIN index, BM25 ranking."""

    def __init__(self, records: PostgresRecords, kind: str) -> None:
        self.records = records
        self.table = f"{kind}_fts"
        self._stats_at: tuple[float, int, float] | None = None
        with records.transaction():
            records.lock(["schema"])
            records.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} (id TEXT PRIMARY KEY, fp TEXT NOT NULL, "
                "meta JSONB NOT NULL, document TEXT NOT NULL, tsv TSVECTOR GENERATED ALWAYS AS "
                "(to_tsvector('english', document)) STORED)"
            )
            records.execute(
                f"CREATE INDEX IF NOT EXISTS {self.table}_tsv ON {self.table} USING GIN (tsv)"
            )

    def indexed(self) -> dict[str, str]:
        rows = self.records.execute(f"SELECT id, fp FROM {self.table}").fetchall()
        return {str(id_): str(fp) for id_, fp in rows}

    def write(self, entries: Sequence[IndexEntry], delete: Sequence[str] = ()) -> None:
        """Upsert the rows of ``entries`` and delete those of ``delete``, in one transaction."""
        with self.records.transaction():
            if delete:
                self.records.execute(f"DELETE FROM {self.table} WHERE id = ANY(?)", (list(delete),))
            self.records.executemany(
                f"INSERT INTO {self.table} (id, fp, meta, document) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET fp=excluded.fp, meta=excluded.meta, "
                "document=excluded.document",
                [
                    (e.id, e.fingerprint, json.dumps(e.metadata, sort_keys=True), e.document)
                    for e in entries
                ],
            )

    def search(
        self, text: str, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` best ids by BM25 (higher is better) whose metadata equals ``where``.

        PostgreSQL's own ``ts_rank``/``ts_rank_cd`` know no document frequency and ranked
        worse here (docs/memory.md), so BM25 is computed: one GIN-index scan counts each
        query word's documents, a second scores the documents matching any word. A word
        counts once per document (descriptions are short); k1 = 1.2, b = 0.75 over the
        document's number of lexemes. Every tsquery is a constant, so both scans use the
        index (a join on computed queries made the planner scan the table).
        """
        words = fts_words(text)
        if not words or k <= 0:
            return []
        any_word = " | ".join(words)
        counts = self.records.execute(
            "SELECT "
            + ", ".join(["count(*) FILTER (WHERE tsv @@ to_tsquery('english', ?))"] * len(words))
            + f" FROM {self.table} WHERE tsv @@ to_tsquery('english', ?)",
            [*words, any_word],
        ).fetchone()
        documents, average = self._stats()
        documents = max(documents, *counts)
        terms = [
            (word, math.log(1 + (documents - df + 0.5) / (df + 0.5)))
            for word, df in zip(words, counts, strict=True)
            if df
        ]
        if not terms:
            return []
        score = " + ".join(
            ["CASE WHEN tsv @@ to_tsquery('english', ?) THEN ? ELSE 0 END"] * len(terms)
        )
        sql = (
            f"SELECT id, ({score}) * 2.2 / (1 + 1.2 * (0.25 + 0.75 * length(tsv) / ?)) AS score "
            f"FROM {self.table} WHERE tsv @@ to_tsquery('english', ?)"
        )
        params: list[Any] = [value for term in terms for value in term]
        params += [average, any_word]
        pairs = _equalities(where)
        if pairs:
            sql += " AND meta @> ?::jsonb"
            params.append(json.dumps(dict(pairs)))
        sql += " ORDER BY score DESC, id LIMIT ?"
        params.append(k)
        rows = self.records.execute(sql, params).fetchall()
        return [(str(id_), float(value)) for id_, value in rows]

    def _stats(self) -> tuple[int, float]:
        """(documents, mean lexemes per document), read again at most every 10 s: BM25 needs
        them only roughly, and reading them is a scan of the table."""
        now = time.monotonic()
        if self._stats_at is None or now - self._stats_at[0] > 10.0:
            row = self.records.execute(
                f"SELECT count(*), coalesce(avg(length(tsv)), 1) FROM {self.table}"
            ).fetchone()
            self._stats_at = (now, int(row[0]), max(float(row[1]), 1.0))
        return self._stats_at[1], self._stats_at[2]

    def count(self) -> int:
        return int(self.records.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0])
