"""Canonical records in SQLite and a derived Chroma index, kept consistent by reconciling.

Voyager keeps its skills in a JSON file and a vector store written one after the other, so
a crash between the two leaves them disagreeing for good. Here SQLite holds the only
canonical copy (WAL, ``synchronous=FULL``, one transaction per write) and Chroma is an index
that can always be rebuilt from it:

- a write commits the record first, then upserts the index;
- opening compares the two (ids and a fingerprint of what was embedded), re-embeds what the
  index lacks or holds stale, and deletes what it holds that the records do not;
- a Chroma folder that cannot be opened or read is moved aside and rebuilt;
- the embedder's name and dimension live in the ``meta`` table with the name of the live
  collection, and a reindex builds a new collection before switching ``meta`` to it.

Chroma's local client must not be shared between processes, so a memory folder is locked
(``flock``) by the process that opens it; objects inside one process share the lock.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from agentkit.memory.embedders import Embedder

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
    "Store",
    "VectorIndex",
    "connect",
    "folder_lock",
    "fts_query",
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

Metadata = dict[str, str | int | float | bool]

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


# --------------------------------------------------------------------------- index


@dataclass(frozen=True)
class IndexEntry:
    """What the index should hold for one canonical record: its text and filter fields."""

    id: str
    document: str
    metadata: Metadata = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Changes whenever the embedded text or a filter field changes."""
        payload = json.dumps([self.document, self.metadata], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:20]


Canonical = Callable[[Sequence[str] | None], list[IndexEntry]]


def _chroma_client(path: Path) -> Any:
    import chromadb
    from chromadb.config import Settings

    try:
        return chromadb.PersistentClient(
            path=str(path), settings=Settings(anonymized_telemetry=False, allow_reset=False)
        )
    except Exception:
        _forget_chroma_system(path)
        raise


def _forget_chroma_system(path: Path) -> None:
    """Drop Chroma's cached system for ``path`` when no client holds it.

    chromadb 1.5 keeps a system whose start failed (a corrupt ``chroma.sqlite3``) in its
    process-wide cache, so every later client for that path, even after the folder was
    replaced, reuses it and fails. Private API, hence the guards.
    """
    with contextlib.suppress(Exception):
        from chromadb.api.shared_system_client import SharedSystemClient

        key = str(path)
        if SharedSystemClient._identifier_to_refcount.get(key, 0) <= 0:
            SharedSystemClient._identifier_to_system.pop(key, None)


def _mismatch(kind: str, stored: str, dimension: int, given: Embedder) -> EmbedderMismatch:
    return EmbedderMismatch(
        f"the {kind} index was built with embedder {stored!r} ({dimension} dimensions) but "
        f"{given.name!r} ({given.dimension} dimensions) was given; use {stored!r}, or rebuild "
        f"the index for the new one: {REINDEX_HINT.format(name=given.name)}"
    )


@dataclass(frozen=True)
class HnswSettings:
    """Chroma's HNSW settings for one index (``configuration={"hnsw": ...}``).

    ``ef_search`` is how many candidates a query keeps (recall against latency; it can be
    changed on an existing collection); ``ef_construction`` and ``max_neighbors`` (HNSW's
    ``M``) shape the graph and only apply when the collection is created.
    """

    ef_search: int = 200
    ef_construction: int = 200
    max_neighbors: int = 32

    def configuration(self) -> dict[str, Any]:
        return {"hnsw": {"space": "cosine", **asdict(self)}}


# measured with agentkit bench memory (docs/memory.md, "HNSW settings")
HNSW_DEFAULTS = HnswSettings()


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


def fts_query(text: str) -> str:
    """An FTS5 ``MATCH`` expression: the text's words (not stopwords) OR-ed, each quoted."""
    words = [w for w in re.findall(r"[^\W_]+", text.lower()) if w not in _STOPWORDS]
    return " OR ".join(f'"{word}"' for word in dict.fromkeys(words))


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

    def diff(self, canonical: dict[str, str]) -> tuple[list[str], list[str]]:
        """(ids to write: missing or stale, ids to delete: orphaned)."""
        indexed = self.indexed()
        write = sorted(i for i, fp in canonical.items() if indexed.get(i) != fp)
        return write, sorted(set(indexed) - set(canonical))

    def write(self, entries: Sequence[IndexEntry], delete: Sequence[str] = ()) -> None:
        """Replace the rows of ``entries`` and delete those of ``delete``, in one transaction."""
        with self.lock, transaction(self.conn):
            ids = [entry.id for entry in entries] + list(delete)
            self.conn.executemany(f"DELETE FROM {self.table} WHERE id=?", [(i,) for i in ids])
            self.conn.executemany(
                f"INSERT INTO {self.table} (id, fp, meta, document) VALUES (?, ?, ?, ?)",
                [
                    (e.id, e.fingerprint, json.dumps(e.metadata, sort_keys=True), e.document)
                    for e in entries
                ],
            )

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
    """The Chroma collection of one kind of record, derived from and checked against SQLite.

    ``canonical(ids)`` returns the :class:`IndexEntry` of each canonical record named in
    ``ids`` that exists (``None``: all of them); it is the only source the index is built
    from.
    """

    def __init__(
        self,
        folder: Path,
        kind: str,
        conn: sqlite3.Connection,
        embedder: Embedder,
        canonical: Canonical,
        *,
        reindex: bool = False,
        hnsw: HnswSettings | None = None,
        lexical: bool = False,
        lock: threading.RLock | None = None,
        cache_size: int = 1024,
    ) -> None:
        self.folder = folder
        self.kind = kind
        self.conn = conn
        self.embedder = embedder
        self.canonical = canonical
        self.hnsw = hnsw or HNSW_DEFAULTS
        self.lock = lock or threading.RLock()
        self.cache = EmbeddingCache(cache_size)
        self.lexical = LexicalIndex(conn, kind, self.lock) if lexical else None
        self.client: Any = None
        self.collection: Any = None
        self.rebuilt = False
        self.repaired: dict[str, int] = {}
        stored = _meta(conn, f"{kind}.embedder")
        if stored is None:
            with transaction(conn):
                if _meta(conn, f"{kind}.embedder") is None:  # another opener may have won
                    _set_meta(conn, self._meta_for(embedder, self._new_name()))
        self._check_embedder(embedder, reindex=reindex)
        self._open_chroma()
        if reindex and not self._embedder_matches(embedder):
            self.reindex(embedder)
        else:
            self.reconcile()

    # -- embedder and meta

    def _new_name(self) -> str:
        return f"{self.kind}-{uuid.uuid4().hex[:12]}"

    def _meta_for(self, embedder: Embedder, collection: str) -> dict[str, str]:
        return {
            f"{self.kind}.embedder": embedder.name,
            f"{self.kind}.dimension": str(int(embedder.dimension)),
            f"{self.kind}.collection": collection,
        }

    def _stored(self) -> tuple[str, int, str]:
        name = _meta(self.conn, f"{self.kind}.embedder") or ""
        dimension = int(_meta(self.conn, f"{self.kind}.dimension") or 0)
        collection = _meta(self.conn, f"{self.kind}.collection") or ""
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
            self.collection.count()
        except Exception as error:
            self._rebuild_folder(error)

    def _connect_collection(self) -> None:
        self.client = _chroma_client(self.folder / CHROMA_DIR)
        _, _, name = self._stored()
        self.collection = self._collection(name)
        self._drop_strays(keep=name)

    def _collection(self, name: str) -> Any:
        """The collection ``name``, created with :attr:`hnsw`; an existing one keeps its
        graph settings but gets :attr:`hnsw`'s ``ef_search``."""
        collection = self.client.get_or_create_collection(
            name, embedding_function=None, configuration=self.hnsw.configuration()
        )
        configuration = getattr(collection, "configuration", None) or {}
        current = (configuration.get("hnsw") or {}).get("ef_search")
        if current is not None and current != self.hnsw.ef_search:
            collection.modify(configuration={"hnsw": {"ef_search": self.hnsw.ef_search}})
        return collection

    def hnsw_configuration(self) -> dict[str, Any]:
        """The HNSW settings the live collection has (Chroma's own report)."""
        configuration = getattr(self.collection, "configuration", None) or {}
        return dict(configuration.get("hnsw") or {})

    def _drop_strays(self, keep: str) -> None:
        """Delete this kind's collections that ``meta`` does not name (an interrupted reindex)."""
        for name in self.client.list_collections():
            name = getattr(name, "name", name)
            if name.startswith(f"{self.kind}-") and name != keep:
                log.info("dropping stale %s collection %s", self.kind, name)
                self.client.delete_collection(name)

    def _close_client(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()
        self.client = self.collection = None

    def _rebuild_folder(self, error: BaseException) -> None:
        self._close_client()
        chroma = self.folder / CHROMA_DIR
        if chroma.exists():
            aside = self.folder / f"{CHROMA_DIR}.broken-{time.strftime('%Y%m%d-%H%M%S')}"
            aside = aside.with_name(f"{aside.name}-{uuid.uuid4().hex[:6]}")
            shutil.move(str(chroma), str(aside))
            log.warning(
                "the Chroma index in %s could not be read (%s: %s); moved it to %s and "
                "rebuilding it from %s",
                chroma,
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
        canonical = {entry.id: entry.fingerprint for entry in self.canonical(None)}
        indexed = self._indexed()
        missing = sorted(set(canonical) - set(indexed))
        orphaned = sorted(set(indexed) - set(canonical))
        stale = sorted(i for i in set(canonical) & set(indexed) if canonical[i] != indexed[i])
        return missing, orphaned, stale, len(canonical)

    def reconcile(self) -> dict[str, int]:
        """Make the index match the records; a Chroma failure rebuilds the folder once."""
        try:
            return self._reconcile()
        except EmbedderMismatch:
            raise
        except Exception as error:
            if self.rebuilt:
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
            self._sync_dense(missing + stale)
        self.repaired = {"added": len(missing), "deleted": len(orphaned), "updated": len(stale)}
        if self.lexical is not None:
            self.repaired["lexical"] = self._reconcile_lexical()
        if any(self.repaired.values()):
            log.info("reconciled the %s index: %s", self.kind, self.repaired)
        return self.repaired

    def _reconcile_lexical(self) -> int:
        """Bring the FTS table in line with the records; the number of rows written or
        deleted (every record when the table was just created, e.g. by an upgrade)."""
        assert self.lexical is not None
        entries = {entry.id: entry for entry in self.canonical(None)}
        write, delete = self.lexical.diff({i: e.fingerprint for i, e in entries.items()})
        if write or delete:
            self.lexical.write([entries[i] for i in write], delete)
            log.info("rebuilt %d rows of the %s FTS index", len(write) + len(delete), self.kind)
        return len(write) + len(delete)

    def sync(self, ids: Sequence[str]) -> None:
        """Upsert the canonical entries of ``ids`` (call after their records committed)."""
        entries = self._sync_dense(ids)
        if self.lexical is not None:
            present = {entry.id for entry in entries}
            self.lexical.write(entries, [i for i in ids if i not in present])

    def _sync_dense(self, ids: Sequence[str]) -> list[IndexEntry]:
        entries = self.canonical(list(ids))
        self._upsert(self.collection, entries, self.embedder)
        gone = sorted(set(ids) - {entry.id for entry in entries})
        if gone:
            self.collection.delete(ids=gone)
        return entries

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
        """Consistency report; reading only, nothing is repaired."""
        missing, orphaned, stale, canonical = self._diff()
        name, dimension, collection = self._stored()
        lexical_missing: list[str] = []
        lexical_orphaned: list[str] = []
        if self.lexical is not None:
            fps = {entry.id: entry.fingerprint for entry in self.canonical(None)}
            lexical_missing, lexical_orphaned = self.lexical.diff(fps)
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
        """
        _, _, old = self._stored()
        new = self._new_name()
        collection = self._collection(new)
        self._upsert(collection, self.canonical(None), embedder)
        with transaction(self.conn):
            _set_meta(self.conn, self._meta_for(embedder, new))
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
    """The shared plumbing of one memory kind: lock, connection and index; opened together."""

    def __init__(
        self,
        folder: Path,
        kind: str,
        embedder: Embedder,
        canonical_factory: Callable[[sqlite3.Connection], Canonical],
        *,
        reindex: bool = False,
        wait: float = 10.0,
        hnsw: HnswSettings | None = None,
        lexical: bool = False,
    ) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.lock = threading.RLock()
        self._lock_key = _acquire(folder, wait)
        self.conn: sqlite3.Connection | None = None
        self.closed = False
        try:
            self.conn = connect(folder)
            self.index = VectorIndex(
                folder,
                kind,
                self.conn,
                embedder,
                canonical_factory(self.conn),
                reindex=reindex,
                hnsw=hnsw,
                lexical=lexical,
                lock=self.lock,
            )
        except BaseException:
            if self.conn is not None:
                self.conn.close()
            _release(self._lock_key)
            raise

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, serialised between the threads sharing this store."""
        if self.conn is None or self.closed:
            raise RuntimeError(f"the memory in {self.folder} is closed")
        with self.lock, transaction(self.conn) as conn:
            yield conn

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.index.close()
        if self.conn is not None:
            self.conn.close()
        _release(self._lock_key)
