"""The seam between the memory and where its vector index lives: a Chroma folder or server.

- :class:`PersistentVectors`: ``chromadb.PersistentClient`` in ``<folder>/chroma``, owned by
  the one process that holds the folder's lock; an unreadable folder can be moved aside and
  rebuilt from the records.
- :class:`HttpVectors`: ``chromadb.HttpClient`` to Chroma's own server (``chroma run``),
  shared by many processes. The server's data is not ours to move, so nothing is rebuilt by
  moving folders; instead calls are retried while the server is unreachable (restarting),
  and a write that still fails leaves the index behind its records, which the next
  reconcile repairs.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

__all__ = ["HttpVectors", "PersistentVectors", "VectorBackend", "is_transient"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class VectorBackend(Protocol):
    """How to reach the Chroma that holds a memory's vector index."""

    #: an unreadable index may be moved aside and rebuilt from the records
    can_rebuild: bool
    #: calls retried because the index was unreachable
    retries: int

    def client(self) -> Any: ...

    def move_aside(self) -> Path | None:
        """Move the broken index out of the way; where it went (None: nothing to move)."""
        ...

    def call(self, action: Callable[[], T]) -> T:
        """Run ``action``, retrying it while the index is briefly unreachable."""
        ...

    def reloads_index(self) -> bool:
        """Whether the next client loads the index again (so reads its HNSW configuration
        again); asked after this process's client was closed."""
        ...


class PersistentVectors:
    """The embedded index: ``chromadb.PersistentClient`` in ``path``."""

    can_rebuild = True

    def __init__(self, path: Path) -> None:
        self.path = path
        self.retries = 0

    def client(self) -> Any:
        import chromadb
        from chromadb.config import Settings

        try:
            return chromadb.PersistentClient(
                path=str(self.path),
                settings=Settings(anonymized_telemetry=False, allow_reset=False),
            )
        except Exception:
            _forget_chroma_system(self.path)
            raise

    def move_aside(self) -> Path | None:
        if not self.path.exists():
            return None
        aside = self.path.with_name(f"{self.path.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}")
        aside = aside.with_name(f"{aside.name}-{uuid.uuid4().hex[:6]}")
        shutil.move(str(self.path), str(aside))
        return aside

    def call(self, action: Callable[[], T]) -> T:
        return action()

    def reloads_index(self) -> bool:
        # Chroma keeps one system (and the indexes it loaded) per folder while any client of
        # it is open in this process. Private API, hence the guard.
        try:
            from chromadb.api.shared_system_client import SharedSystemClient

            return SharedSystemClient._identifier_to_refcount.get(str(self.path), 0) <= 0
        except Exception:  # pragma: no cover - a chromadb without that cache
            return False


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


def is_transient(error: BaseException) -> bool:
    """An error that says the server could not be reached or has not recovered yet (down,
    restarting), not that the request was wrong."""
    try:
        import httpx
    except ImportError:  # pragma: no cover - chromadb depends on httpx
        return isinstance(error, ConnectionError)
    if any(isinstance(e, httpx.TransportError | ConnectionError) for e in _chain(error)):
        # chromadb's HttpClient re-raises a reset connection as a bare ValueError from inside
        # its handler (CI: a writer opened while the server restarted), so look down the chain
        return True
    # chromadb wraps some transport failures in its own errors; keep their wording checks narrow
    text = str(error)
    if "Could not connect to" in text or "Connection refused" in text:
        return True
    # A restarted server brings its segments up to date from its log on the first reads
    # ("backfill"); a read that races that recovery fails with a 500 naming it. CI saw one
    # writer of eight get "Error sending backfill request to compactor: Failed to apply
    # logs to the hnsw segment writer" just after a SIGKILLed server came back.
    try:
        from chromadb.errors import InternalError
    except ImportError:  # pragma: no cover - the server backend is chromadb's client
        return False
    return isinstance(error, InternalError) and "backfill" in text


def _chain(error: BaseException) -> list[BaseException]:
    """``error`` and the errors it was raised from or while handling, outermost first."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not e for e in seen) and len(seen) < 16:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


class HttpVectors:
    """Chroma's server at ``url`` (``http://host:port``); calls retried for ``retry`` seconds
    while it is unreachable."""

    can_rebuild = False

    def __init__(self, url: str, retry: float = 30.0) -> None:
        self.url = url
        self.retry = retry
        self.retries = 0

    def client(self) -> Any:
        import chromadb
        from chromadb.config import Settings

        parts = urlsplit(self.url)
        https = parts.scheme == "https"
        settings = Settings(anonymized_telemetry=False)
        return self.call(
            lambda: chromadb.HttpClient(
                host=parts.hostname or "127.0.0.1",
                port=parts.port or (443 if https else 8000),
                ssl=https,
                settings=settings,
            )
        )

    def move_aside(self) -> Path | None:
        return None

    def reloads_index(self) -> bool:
        return False  # the server keeps what it loaded until it restarts

    def call(self, action: Callable[[], T]) -> T:
        deadline = time.monotonic() + self.retry
        delay = 0.1
        while True:
            try:
                return action()
            except Exception as error:
                if not is_transient(error) or time.monotonic() >= deadline:
                    raise
                self.retries += 1
                log.info("Chroma at %s unreachable (%s); retrying", self.url, error)
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
