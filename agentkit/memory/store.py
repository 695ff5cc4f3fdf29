"""Canonical records and a derived Chroma index, kept consistent by reconciling.

Voyager keeps its skills in a JSON file and a vector store written one after the other, so
a crash between the two leaves them disagreeing for good. Here the records hold the only
canonical copy (one transaction per write) and Chroma is an index that can always be
rebuilt from them:

- a write commits the record first, then upserts the index;
- opening compares the two (ids and a fingerprint of what was embedded), re-embeds what the
  index lacks or holds stale, and deletes what it holds that the records do not;
- a Chroma folder that cannot be opened or read is moved aside and rebuilt;
- the embedder's name and dimension live in the ``meta`` table with the name of the live
  collection, and a reindex builds a new collection before switching ``meta`` to it.

Where they live is a seam: the records in SQLite (this module, embedded) or PostgreSQL
(``postgres.py``), the index in a Chroma folder or on Chroma's server (``vectors.py``). In
the embedded set-up SQLite is WAL with ``synchronous=FULL``, and Chroma's local client must
not be shared between processes, so a memory folder is locked (``flock``) by the process
that opens it; objects inside one process share the lock. The server set-up serves many
processes: PostgreSQL serialises writers (``Records.lock``), and writers and reconciling are
written so that they may overlap (see :meth:`VectorIndex._diff` and :meth:`VectorIndex._sync`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sqlite3
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from agentkit.memory.embedders import Embedder
from agentkit.memory.entries import IndexEntry
from agentkit.memory.hnsw import HNSW_DEFAULTS, HnswSettings
from agentkit.memory.location import MemoryLocation
from agentkit.memory.records import Lexical, Records
from agentkit.memory.vectors import HttpVectors, PersistentVectors, VectorBackend

__all__ = [
    "CHROMA_DIR",
    "HNSW_DEFAULTS",
    "RECORDS_FILE",
    "SCHEMA_VERSION",
    "EmbedderMismatch",
    "EmbeddingCache",
    "HnswSettings",
    "IndexEntry",
    "LexicalIndex",
    "MemoryBusy",
    "MemoryCorrupt",
    "SqliteRecords",
    "Store",
    "VectorIndex",
    "connect",
    "folder_lock",
    "fts_query",
    "fts_words",
    "transaction",
    "where_clause",
]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
RECORDS_FILE = "records.sqlite"
CHROMA_DIR = "chroma"
LOCK_FILE = "lock"
REINDEX_HINT = "agentkit skills reindex --embedder {name}"
_EMBED_BATCH = 128
# Chroma writes per call: its per-call cost dominates small batches (5,000 MiniLM vectors:
# 196/s in batches of 128, 377/s in batches of 1,024 on the shared 2-core machine)
_WRITE_BATCH = 1024

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS skills (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    environment TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created REAL NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (name, version)
);
CREATE TABLE IF NOT EXISTS episodes (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    environment TEXT NOT NULL,
    success INTEGER,
    created REAL NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS episodes_run ON episodes (run_id, iteration);
"""


class EmbedderMismatch(ValueError):
    """The embedder given is not the one the index was built with (name or dimension)."""


class MemoryCorrupt(RuntimeError):
    """The canonical records cannot be read, or were written by a newer schema."""


class MemoryBusy(RuntimeError):
    """Another process has this memory folder open."""


# --------------------------------------------------------------------------- SQLite


def connect(folder: Path) -> sqlite3.Connection:
    """Open (creating if needed) ``records.sqlite``: WAL, full sync, schema checked."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / RECORDS_FILE
    try:
        conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        with transaction(conn):
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
            elif int(row[0]) > SCHEMA_VERSION:
                raise MemoryCorrupt(
                    f"{path} has schema version {row[0]}, newer than this agentkit "
                    f"({SCHEMA_VERSION}); upgrade agentkit to read it"
                )
    except sqlite3.DatabaseError as error:
        raise MemoryCorrupt(f"cannot read {path}: {error}") from error
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One ``BEGIN IMMEDIATE`` transaction: all of it commits, or none of it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    return None if row is None else str(row[0])


def _set_meta(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        list(values.items()),
    )


# --------------------------------------------------------------------------- folder lock


@dataclass
class _Held:
    fd: int
    count: int = 0


_LOCKS: dict[str, _Held] = {}
_LOCKS_GUARD = threading.Lock()


def _acquire(folder: Path, wait: float) -> str:
    """Lock ``folder`` for this process (re-entrant inside it); other processes wait, then fail."""
    key = str(folder.resolve())
    with _LOCKS_GUARD:
        held = _LOCKS.get(key)
        if held is None:
            fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                _flock(fd, folder, wait)
            except BaseException:
                os.close(fd)
                raise
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
            held = _LOCKS[key] = _Held(fd)
        held.count += 1
    return key


def _flock(fd: int, folder: Path, wait: float) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no cross-process guard
        return
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                owner = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
                raise MemoryBusy(
                    f"the memory folder {folder} is open in another process (pid {owner}); "
                    "Chroma's local index cannot be shared between processes: close it first"
                ) from None
            time.sleep(0.05)


def _release(key: str) -> None:
    with _LOCKS_GUARD:
        held = _LOCKS.get(key)
        if held is None:
            return
        held.count -= 1
        if held.count <= 0:
            del _LOCKS[key]
            os.close(held.fd)  # closing the descriptor drops the flock


class SqliteRecords:
    """The embedded records backend: one ``records.sqlite`` connection (see :func:`connect`).

    One process holds the folder (its ``flock``), and ``BEGIN IMMEDIATE`` serialises the
    transactions of that process's threads, so :meth:`lock` has nothing left to do.
    """

    namespace = ""

    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock) -> None:
        self.conn = conn
        self.lock_ = lock

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return transaction(self.conn)

    def lock(self, keys: Sequence[str]) -> None:
        return None

    @contextlib.contextmanager
    def exclusive(self, key: str, *, wait: bool) -> Iterator[bool]:
        yield True  # the folder lock already excludes every other process

    def meta(self, key: str) -> str | None:
        return _meta(self.conn, key)

    def set_meta(self, values: dict[str, str]) -> None:
        _set_meta(self.conn, values)

    def lexical(self, kind: str) -> LexicalIndex:
        return LexicalIndex(self.conn, kind, self.lock_)

    def close(self) -> None:
        self.conn.close()


# --------------------------------------------------------------------------- index


Canonical = Callable[[Sequence[str] | None], list[IndexEntry]]


def _mismatch(kind: str, stored: str, dimension: int, given: Embedder) -> EmbedderMismatch:
    return EmbedderMismatch(
        f"the {kind} index was built with embedder {stored!r} ({dimension} dimensions) but "
        f"{given.name!r} ({given.dimension} dimensions) was given; use {stored!r}, or rebuild "
        f"the index for the new one: {REINDEX_HINT.format(name=given.name)}"
    )


class EmbeddingCache:
    """A thread-safe LRU of query vectors, keyed by embedder name and text."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[tuple[str, str], list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> list[float] | None:
        with self._lock:
            vector = self._items.get(key)
            if vector is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return vector

    def put(self, key: tuple[str, str], vector: list[float]) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = vector
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


_STOPWORDS = frozenset(
    "a an and are as at be by do for from get go how i in into is it its me my of off on "
    "onto or out over so some than that the then this to too up with you your".split()
)


def fts_words(text: str) -> list[str]:
    """The distinct words of ``text`` that full-text search looks for (not stopwords)."""
    words = [w for w in re.findall(r"[^\W_]+", text.lower()) if w not in _STOPWORDS]
    return list(dict.fromkeys(words))


def fts_query(text: str) -> str:
    """An FTS5 ``MATCH`` expression: the text's words (not stopwords) OR-ed, each quoted."""
    return " OR ".join(f'"{word}"' for word in fts_words(text))


class LexicalIndex:
    """BM25 over the indexed documents: an SQLite FTS5 table beside the records.

    Like the Chroma index it is derived: each row keeps the fingerprint of the entry it was
    built from, and :meth:`reconcile` brings it back in line with the records (a library
    written before this table existed gets it built on opening). Porter stemming folds word
    forms ("swimming", "swim").
    """

    def __init__(self, conn: sqlite3.Connection, kind: str, lock: threading.RLock) -> None:
        self.conn = conn
        self.lock = lock
        self.table = f"{kind}_fts"
        with self.lock, transaction(conn):
            conn.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5("
                "id UNINDEXED, fp UNINDEXED, meta UNINDEXED, document, "
                "tokenize='porter unicode61 remove_diacritics 2')"
            )

    def indexed(self) -> dict[str, str]:
        rows = self.conn.execute(f"SELECT id, fp FROM {self.table}").fetchall()
        return {str(id_): str(fp) for id_, fp in rows}

    def write(self, entries: Sequence[IndexEntry], delete: Sequence[str] = ()) -> None:
        """Replace the rows of ``entries`` and delete those of ``delete``, in one transaction."""
        with self.lock, transaction(self.conn):
            rowids = self._rowids([entry.id for entry in entries] + list(delete))
            self.conn.executemany(f"DELETE FROM {self.table} WHERE rowid=?", rowids)
            self.conn.executemany(
                f"INSERT INTO {self.table} (id, fp, meta, document) VALUES (?, ?, ?, ?)",
                [
                    (e.id, e.fingerprint, json.dumps(e.metadata, sort_keys=True), e.document)
                    for e in entries
                ],
            )

    def _rowids(self, ids: Sequence[str]) -> list[tuple[int]]:
        """The FTS rows of ``ids``. FTS5 keeps no index on an UNINDEXED column, so each
        ``WHERE id=?`` scans the whole table (41 ms per id at 52,000 rows, which made bulk
        ingest slow down as the library grew); one ``IN`` scan per 900 ids instead."""
        found: list[tuple[int]] = []
        for start in range(0, len(ids), 900):
            chunk = list(ids[start : start + 900])
            marks = ",".join("?" * len(chunk))
            found += self.conn.execute(
                f"SELECT rowid FROM {self.table} WHERE id IN ({marks})", chunk
            ).fetchall()
        return found

    def search(
        self, text: str, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` best ids by BM25 (higher is better) whose metadata equals ``where``."""
        expression = fts_query(text)
        if not expression or k <= 0:
            return []
        sql = f"SELECT id, -bm25({self.table}) FROM {self.table} WHERE {self.table} MATCH ?"
        params: list[Any] = [expression]
        for key, value in _equalities(where):
            sql += " AND json_extract(meta, ?) = ?"
            params += [f"$.{key}", int(value) if isinstance(value, bool) else value]
        sql += " ORDER BY rank LIMIT ?"
        params.append(k)
        rows = self.conn.execute(sql, params).fetchall()
        return [(str(id_), float(score)) for id_, score in rows]

    def count(self) -> int:
        return int(self.conn.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0])


def _equalities(where: dict[str, Any] | None) -> list[tuple[str, Any]]:
    """``{"a": 1}`` or ``{"$and": [{"a": 1}, {"b": 2}]}`` as (key, value) pairs."""
    if not where:
        return []
    if "$and" in where:
        return [pair for part in where["$and"] for pair in _equalities(part)]
    pairs = []
    for key, value in where.items():
        if isinstance(value, dict):
            if set(value) != {"$eq"}:
                raise ValueError(f"only equality filters are supported, got {where!r}")
            value = value["$eq"]
        pairs.append((key, value))
    return pairs


def where_clause(filters: dict[str, Any]) -> dict[str, Any] | None:
    """Chroma's ``where`` for equality ``filters`` (None values are left out)."""
    parts = [{key: value} for key, value in filters.items() if value is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else {"$and": parts}


class VectorIndex:
    """The Chroma collection of one kind of record, derived from and checked against the
    canonical records (and, with ``lexical``, the full-text index beside them).

    ``canonical(ids)`` returns the :class:`IndexEntry` of each canonical record named in
    ``ids`` that exists (``None``: all of them); it is the only source the index is built
    from. ``records`` and ``vectors`` are the two backends (``records.py``, ``vectors.py``).
    """

    def __init__(
        self,
        records: Records,
        vectors: VectorBackend,
        kind: str,
        embedder: Embedder,
        canonical: Canonical,
        *,
        reindex: bool = False,
        hnsw: HnswSettings | None = None,
        lexical: bool = False,
        cache_size: int = 1024,
    ) -> None:
        self.records = records
        self.vectors = vectors
        self.kind = kind
        self.embedder = embedder
        self.canonical = canonical
        self.hnsw = hnsw or HNSW_DEFAULTS
        self.cache = EmbeddingCache(cache_size)
        self.lexical: Lexical | None = records.lexical(kind) if lexical else None
        self.client: Any = None
        self.collection: Any = None
        self.rebuilt = False
        self.repaired: dict[str, int] = {}
        #: index writes redone because another writer changed the record meanwhile
        self.rewrites = 0
        if records.meta(f"{kind}.embedder") is None:
            with records.transaction():
                records.lock([f"meta:{kind}"])
                if records.meta(f"{kind}.embedder") is None:  # another opener may have won
                    records.set_meta(self._meta_for(embedder, self._new_name()))
        self._check_embedder(embedder, reindex=reindex)
        self._open_chroma()
        if reindex and not self._embedder_matches(embedder):
            self.reindex(embedder)
        else:
            self.reconcile()

    # -- embedder and meta

    def _new_name(self) -> str:
        return f"{self.kind}-{self.records.namespace}{uuid.uuid4().hex[:12]}"

    def _meta_for(self, embedder: Embedder, collection: str) -> dict[str, str]:
        return {
            f"{self.kind}.embedder": embedder.name,
            f"{self.kind}.dimension": str(int(embedder.dimension)),
            f"{self.kind}.collection": collection,
        }

    def _stored(self) -> tuple[str, int, str]:
        name = self.records.meta(f"{self.kind}.embedder") or ""
        dimension = int(self.records.meta(f"{self.kind}.dimension") or 0)
        collection = self.records.meta(f"{self.kind}.collection") or ""
        return name, dimension, collection

    def _embedder_matches(self, embedder: Embedder) -> bool:
        name, dimension, _ = self._stored()
        return name == embedder.name and dimension == int(embedder.dimension)

    def _check_embedder(self, embedder: Embedder, *, reindex: bool) -> None:
        if not reindex and not self._embedder_matches(embedder):
            name, dimension, _ = self._stored()
            raise _mismatch(self.kind, name, dimension, embedder)

    def embed(self, texts: list[str], embedder: Embedder | None = None) -> list[list[float]]:
        """Vectors for ``texts``, each checked against the embedder's declared dimension."""
        embedder = embedder or self.embedder
        vectors: list[list[float]] = []
        for start in range(0, len(texts), _EMBED_BATCH):
            chunk = texts[start : start + _EMBED_BATCH]
            got = [[float(x) for x in vector] for vector in embedder.embed(chunk)]
            if len(got) != len(chunk):
                raise EmbedderMismatch(
                    f"embedder {embedder.name!r} returned {len(got)} vectors for {len(chunk)}"
                )
            for vector in got:
                if len(vector) != int(embedder.dimension):
                    raise EmbedderMismatch(
                        f"embedder {embedder.name!r} declares {embedder.dimension} dimensions "
                        f"but returned a vector of length {len(vector)}"
                    )
            vectors.extend(got)
        return vectors

    # -- Chroma

    def _open_chroma(self) -> None:
        """Open the client and the live collection; a broken folder is moved aside and rebuilt."""
        try:
            self._connect_collection()
            self.vectors.call(self.collection.count)
        except Exception as error:
            if not self.vectors.can_rebuild:
                raise
            self._rebuild_folder(error)

    def _connect_collection(self) -> None:
        self.client = self.vectors.client()
        _, _, name = self._stored()
        self.collection = self.vectors.call(lambda: self._collection(name))
        # with several processes a stray may be a reindex under way elsewhere: only drop
        # strays when no reindex holds this kind
        with self.records.exclusive(f"reindex:{self.kind}", wait=False) as alone:
            if alone:
                self.vectors.call(lambda: self._drop_strays(keep=name))

    def _collection(self, name: str) -> Any:
        """The collection ``name``, created with :attr:`hnsw`; an existing one keeps its
        graph settings but gets :attr:`hnsw`'s ``ef_search``, stored before anything in
        this process loads the index (a loaded index keeps the value it was loaded with)."""
        collection = self.client.get_or_create_collection(
            name, embedding_function=None, configuration=self.hnsw.configuration()
        )
        configuration = getattr(collection, "configuration", None) or {}
        current = (configuration.get("hnsw") or {}).get("ef_search")
        if current is not None and current != self.hnsw.ef_search:
            collection.modify(configuration={"hnsw": {"ef_search": self.hnsw.ef_search}})
        return collection

    def set_ef_search(self, ef_search: int) -> bool:
        """Make queries keep ``ef_search`` candidates; True when it is in effect now.

        Chroma reads ``ef_search`` when it loads the index, and a loaded index ignores a
        later ``modify`` (``hnsw.py``), so the embedded client is closed and opened again
        to load it anew. False when that cannot happen yet: Chroma's server keeps its
        loaded index until it restarts, and another client of the same folder in this
        process keeps it loaded until it closes.
        """
        if ef_search < 1:
            raise ValueError(f"ef_search must be at least 1, got {ef_search}")
        self.hnsw = replace(self.hnsw, ef_search=ef_search)
        configuration = {"hnsw": {"ef_search": ef_search}}
        self.vectors.call(lambda: self.collection.modify(configuration=configuration))
        self._close_client()
        applied = self.vectors.reloads_index()
        if not applied:
            log.warning(
                "ef_search %d is stored for the %s index but Chroma keeps the index it already "
                "loaded (%s)",
                ef_search,
                self.kind,
                "restart the Chroma server"
                if not self.vectors.can_rebuild
                else "another client of this folder is open in this process; close it",
            )
        self._connect_collection()
        return applied

    def hnsw_configuration(self) -> dict[str, Any]:
        """The HNSW settings the live collection has (Chroma's own report)."""
        configuration = getattr(self.collection, "configuration", None) or {}
        return dict(configuration.get("hnsw") or {})

    def _drop_strays(self, keep: str) -> None:
        """Delete this kind's collections that ``meta`` does not name (an interrupted reindex)."""
        prefix = f"{self.kind}-{self.records.namespace}"
        for name in self.client.list_collections():
            name = getattr(name, "name", name)
            if name.startswith(prefix) and name != keep:
                log.info("dropping stale %s collection %s", self.kind, name)
                self.client.delete_collection(name)

    def _close_client(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()
        self.client = self.collection = None

    def _rebuild_folder(self, error: BaseException) -> None:
        self._close_client()
        aside = self.vectors.move_aside()
        if aside is not None:
            log.warning(
                "the Chroma index in %s could not be read (%s: %s); moved it to %s and "
                "rebuilding it from %s",
                aside.with_name(CHROMA_DIR),
                type(error).__name__,
                error,
                aside,
                RECORDS_FILE,
            )
        self.rebuilt = True
        self._connect_collection()

    def _indexed(self) -> dict[str, str]:
        """Every id in the collection with the fingerprint it was indexed with."""
        found: dict[str, str] = {}
        page = 1000
        offset = 0
        while True:
            got = self.collection.get(include=["metadatas"], limit=page, offset=offset)
            ids = got["ids"]
            for id_, metadata in zip(ids, got["metadatas"] or [{}] * len(ids), strict=True):
                found[id_] = str((metadata or {}).get("fp", ""))
            if len(ids) < page:
                return found
            offset += page

    def _diff(self) -> tuple[list[str], list[str], list[str], int]:
        # The index is read before the records: a record is committed before its index
        # entry is written and records are never deleted, so an id indexed at the first
        # read is in the records at the second, and a concurrent writer's fresh entry is
        # never mistaken for an orphan.
        indexed = self._indexed()
        canonical = {entry.id: entry.fingerprint for entry in self.canonical(None)}
        missing = sorted(set(canonical) - set(indexed))
        orphaned = sorted(set(indexed) - set(canonical))
        stale = sorted(i for i in set(canonical) & set(indexed) if canonical[i] != indexed[i])
        return missing, orphaned, stale, len(canonical)

    def reconcile(self) -> dict[str, int]:
        """Make the index match the records; a Chroma failure rebuilds the folder once
        (embedded only: a server's index is retried, never moved)."""
        try:
            return self.vectors.call(self._reconcile)
        except EmbedderMismatch:
            raise
        except Exception as error:
            if self.rebuilt or not self.vectors.can_rebuild:
                raise
            from agentkit.memory.embedders import EmbedderError

            if isinstance(error, EmbedderError):
                raise
            self._rebuild_folder(error)
            return self._reconcile()

    def _reconcile(self) -> dict[str, int]:
        missing, orphaned, stale, _ = self._diff()
        if orphaned:
            self.collection.delete(ids=orphaned)
        if missing or stale:
            self._sync(missing + stale, lexical=False)
        self.repaired = {"added": len(missing), "deleted": len(orphaned), "updated": len(stale)}
        if self.lexical is not None:
            self.repaired["lexical"] = self._reconcile_lexical()
        if any(self.repaired.values()):
            log.info("reconciled the %s index: %s", self.kind, self.repaired)
        return self.repaired

    def _lexical_diff(self) -> tuple[list[str], list[str], dict[str, IndexEntry]]:
        """(ids to write, ids to delete, canonical entries): the FTS rows read before the
        records, for the same reason as in :meth:`_diff`."""
        assert self.lexical is not None
        indexed = self.lexical.indexed()
        entries = {entry.id: entry for entry in self.canonical(None)}
        write = sorted(i for i, e in entries.items() if indexed.get(i) != e.fingerprint)
        return write, sorted(set(indexed) - set(entries)), entries

    def _reconcile_lexical(self) -> int:
        """Bring the FTS table in line with the records; the number of rows written or
        deleted (every record when the table was just created, e.g. by an upgrade)."""
        write, delete, _ = self._lexical_diff()
        if delete:
            self.lexical.write([], delete)  # type: ignore[union-attr]
        if write:
            self._sync(write, dense=False)
        if write or delete:
            log.info("rebuilt %d rows of the %s FTS index", len(write) + len(delete), self.kind)
        return len(write) + len(delete)

    def sync(self, ids: Sequence[str]) -> None:
        """Upsert the canonical entries of ``ids`` (call after their records committed)."""
        self.vectors.call(lambda: self._sync(ids))

    def _sync(self, ids: Sequence[str], *, dense: bool = True, lexical: bool = True) -> None:
        """Write the current canonical entries of ``ids``, read them again afterwards and
        rewrite any that another writer (a thread here, or another process on the server
        backend) changed meanwhile, so the last write of every entry is of its latest
        record: two writers could otherwise finish in the opposite order to their commits
        and leave the older version indexed."""
        pending = sorted(set(ids))
        for _round in range(20):
            entries = self.canonical(pending)
            written = {entry.id: entry.fingerprint for entry in entries}
            gone = [i for i in pending if i not in written]
            if dense:
                self._upsert(self.collection, entries, self.embedder)
                if gone:
                    self.collection.delete(ids=gone)
            if lexical and self.lexical is not None:
                self.lexical.write(entries, gone)
            now = {entry.id: entry.fingerprint for entry in self.canonical(pending)}
            pending = [i for i in pending if now.get(i) != written.get(i)]
            if not pending:
                return
            self.rewrites += len(pending)
        raise RuntimeError(f"the {self.kind} index kept changing under {pending[:5]}")

    def _upsert(self, collection: Any, entries: list[IndexEntry], embedder: Embedder) -> None:
        """Write ``entries``; one whose document is already indexed (only a filter field
        changed, e.g. a skill became verified) gets its metadata updated, not re-embedded."""
        batch = max(1, min(_WRITE_BATCH, self.client.get_max_batch_size()))
        for start in range(0, len(entries), batch):
            chunk = entries[start : start + batch]
            have = collection.get(ids=[entry.id for entry in chunk], include=["documents"])
            known = dict(
                zip(have["ids"], have["documents"] or [None] * len(have["ids"]), strict=True)
            )
            same = [e for e in chunk if known.get(e.id) == e.document]
            fresh = [e for e in chunk if known.get(e.id) != e.document]
            if same:
                collection.update(
                    ids=[entry.id for entry in same],
                    metadatas=[{**entry.metadata, "fp": entry.fingerprint} for entry in same],
                )
            if fresh:
                vectors = self.embed([entry.document for entry in fresh], embedder)
                collection.upsert(
                    ids=[entry.id for entry in fresh],
                    embeddings=vectors,
                    documents=[entry.document for entry in fresh],
                    metadatas=[{**entry.metadata, "fp": entry.fingerprint} for entry in fresh],
                )

    def query_vector(self, text: str) -> list[float]:
        """The embedding of a query, from the LRU cache when this text was asked before."""
        key = (self.embedder.name, text)
        vector = self.cache.get(key)
        if vector is None:
            vector = self.embed([text])[0]
            self.cache.put(key, vector)
        return vector

    def query(
        self, text: str, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float, dict[str, Any]]]:
        """The ``k`` nearest ids to ``text`` with cosine similarity (higher is closer)."""
        return self.vectors.call(lambda: self._query(text, k, where))

    def _query(
        self, text: str, k: int, where: dict[str, Any] | None
    ) -> list[tuple[str, float, dict[str, Any]]]:
        count = self.collection.count()
        if k <= 0 or count == 0:
            return []
        return self._dense([self.query_vector(text)], min(k, count), where)

    def _dense(
        self, vector: list[list[float]], k: int, where: dict[str, Any] | None
    ) -> list[tuple[str, float, dict[str, Any]]]:
        found = self.collection.query(
            query_embeddings=vector,
            n_results=k,
            where=where,
            include=["metadatas", "distances"],
        )
        ids = found["ids"][0]
        distances = (found["distances"] or [[]])[0]
        metadatas = (found["metadatas"] or [[]])[0]
        return [
            (id_, 1.0 - float(distance), dict(metadata or {}))
            for id_, distance, metadata in zip(ids, distances, metadatas, strict=True)
        ]

    def hybrid(
        self,
        text: str,
        k: int,
        where: dict[str, Any] | None = None,
        *,
        candidates: int = 50,
        rrf_k: int = 60,
        dense: bool = True,
        lexical: bool = True,
    ) -> list[tuple[str, float, dict[str, Any], float]]:
        """Dense and BM25 candidates fused by reciprocal rank: ``(id, cosine, metadata,
        fused score)``, best fused score first.

        Each list contributes ``1 / (rrf_k + rank)`` per id (rank from 1). The cosine is
        always the dense similarity to ``text`` (fetched for ids only BM25 found), so a
        threshold on it means the same as with dense search alone.
        """
        return self.vectors.call(
            lambda: self._hybrid(text, k, where, candidates, rrf_k, dense, lexical)
        )

    def _hybrid(
        self,
        text: str,
        k: int,
        where: dict[str, Any] | None,
        candidates: int,
        rrf_k: int,
        dense: bool,
        lexical: bool,
    ) -> list[tuple[str, float, dict[str, Any], float]]:
        count = self.collection.count()
        if k <= 0 or count == 0:
            return []
        pool = max(k, candidates)
        vector = self.query_vector(text)
        ranked: list[list[str]] = []
        found: dict[str, tuple[float, dict[str, Any]]] = {}
        if dense or self.lexical is None:
            hits = self._dense([vector], min(pool, count), where)
            ranked.append([id_ for id_, _, _ in hits])
            found.update({id_: (score, metadata) for id_, score, metadata in hits})
        if lexical and self.lexical is not None:
            ranked.append([id_ for id_, _ in self.lexical.search(text, pool, where)])
        fused: dict[str, float] = {}
        for ids in ranked:
            for rank, id_ in enumerate(ids, start=1):
                fused[id_] = fused.get(id_, 0.0) + 1.0 / (rrf_k + rank)
        best = sorted(fused, key=lambda i: (-fused[i], i))[:k]
        missing = [id_ for id_ in best if id_ not in found]
        if missing:
            got = self.collection.get(ids=missing, include=["embeddings", "metadatas"])
            unit = _unit(vector)
            for id_, embedding, metadata in zip(
                got["ids"],
                got["embeddings"],
                got["metadatas"] or [{}] * len(got["ids"]),
                strict=True,
            ):
                found[id_] = (
                    float(sum(a * b for a, b in zip(unit, _unit(embedding), strict=True))),
                    dict(metadata or {}),
                )
        return [(id_, found[id_][0], found[id_][1], fused[id_]) for id_ in best if id_ in found]

    def check(self) -> dict[str, Any]:
        """Consistency report; reading only, nothing is repaired. With several writers it
        is exact only while none is writing (a record committed a moment ago may not be
        indexed yet)."""
        return self.vectors.call(self._check)

    def _check(self) -> dict[str, Any]:
        missing, orphaned, stale, canonical = self._diff()
        name, dimension, collection = self._stored()
        lexical_missing: list[str] = []
        lexical_orphaned: list[str] = []
        if self.lexical is not None:
            lexical_missing, lexical_orphaned, _ = self._lexical_diff()
        return {
            "kind": self.kind,
            "canonical": canonical,
            "indexed": self.collection.count(),
            "missing": missing,
            "orphaned": orphaned,
            "stale": stale,
            "ok": not (missing or orphaned or stale or lexical_missing or lexical_orphaned),
            "lexical_missing": lexical_missing,
            "lexical_orphaned": lexical_orphaned,
            "embedder": name,
            "dimension": dimension,
            "collection": collection,
        }

    def reindex(self, embedder: Embedder) -> None:
        """Rebuild the index with ``embedder``: new collection, then switch ``meta``, then drop.

        A crash before the switch leaves the old index live (the new one is dropped on the
        next open); a crash after it leaves the new one live (the old one is dropped).

        With several writers (the server backend) only one reindex runs at a time, and
        writers that keep the old collection open write to it until they reopen: stop them
        first.
        """
        with self.records.exclusive(f"reindex:{self.kind}", wait=True):
            self.vectors.call(lambda: self._reindex(embedder))

    def _reindex(self, embedder: Embedder) -> None:
        _, _, old = self._stored()
        new = self._new_name()
        collection = self._collection(new)
        self._upsert(collection, self.canonical(None), embedder)
        with self.records.transaction():
            self.records.set_meta(self._meta_for(embedder, new))
        self.embedder = embedder
        self.collection = collection
        self.cache.clear()
        with contextlib.suppress(Exception):
            self.client.delete_collection(old)
        self._drop_strays(keep=new)

    def close(self) -> None:
        self._close_client()


def _unit(vector: Sequence[float]) -> list[float]:
    norm = sum(float(x) * float(x) for x in vector) ** 0.5 or 1.0
    return [float(x) / norm for x in vector]


@contextlib.contextmanager
def folder_lock(folder: Path, wait: float = 10.0) -> Iterator[None]:
    """Hold the process lock of ``folder`` for the duration of the block."""
    key = _acquire(folder, wait)
    try:
        yield
    finally:
        _release(key)


class Store:
    """The shared plumbing of one memory kind: records, vector index and, embedded, the
    folder lock; opened together from a :class:`~agentkit.memory.location.MemoryLocation`."""

    def __init__(
        self,
        where: Path | str | MemoryLocation,
        kind: str,
        embedder: Embedder,
        canonical_factory: Callable[[Records], Canonical],
        *,
        reindex: bool = False,
        wait: float = 10.0,
        hnsw: HnswSettings | None = None,
        lexical: bool = False,
    ) -> None:
        self.location = MemoryLocation.parse(where)
        self.folder: Path | None = self.location.folder
        self.lock = threading.RLock()
        self._lock_key: str | None = None
        self.conn: Records | None = None
        self.closed = False
        vectors: VectorBackend
        try:
            if self.folder is not None:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._lock_key = _acquire(self.folder, wait)
                self.conn = SqliteRecords(connect(self.folder), self.lock)
                vectors = PersistentVectors(self.folder / CHROMA_DIR)
            else:
                from agentkit.memory.postgres import PostgresRecords

                assert self.location.records is not None and self.location.chroma is not None
                self.conn = PostgresRecords.connect(self.location.records, wait=wait)
                vectors = HttpVectors(self.location.chroma)
            self.index = VectorIndex(
                self.conn,
                vectors,
                kind,
                embedder,
                canonical_factory(self.conn),
                reindex=reindex,
                hnsw=hnsw,
                lexical=lexical,
            )
        except BaseException:
            if self.conn is not None:
                self.conn.close()
            if self._lock_key is not None:
                _release(self._lock_key)
            raise

    @property
    def records(self) -> Records:
        """The open records; a RuntimeError once closed."""
        if self.conn is None or self.closed:
            raise RuntimeError(f"the memory in {self.location} is closed")
        return self.conn

    @contextlib.contextmanager
    def transaction(self, lock: Sequence[str] = ()) -> Iterator[Records]:
        """A write transaction, serialised between the threads sharing this store and, for
        the keys in ``lock``, between every writer of the memory."""
        records = self.records
        with self.lock, records.transaction():
            if lock:
                records.lock(sorted(set(lock)))
            yield records

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.index.close()
        if self.conn is not None:
            self.conn.close()
        if self._lock_key is not None:
            _release(self._lock_key)
