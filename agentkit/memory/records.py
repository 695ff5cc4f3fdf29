"""The seam between the memory and where its canonical records live (SQLite or PostgreSQL).

The skill library and episodic memory write portable SQL (``?`` placeholders, ``INSERT ...
ON CONFLICT``) through a :class:`Records`; each backend supplies what differs: transactions,
how concurrent writers are serialised (:meth:`Records.lock`), the ``meta`` table and the
lexical (full-text) index. The vector index is the other seam (``agentkit.memory.vectors``).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from agentkit.memory.entries import IndexEntry

__all__ = ["Cursor", "Lexical", "Records"]


class Cursor(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Lexical(Protocol):
    """Full-text search over the indexed documents, derived from the records like the
    vector index (each row keeps its entry's fingerprint)."""

    def indexed(self) -> dict[str, str]:
        """Every id with the fingerprint it was written with."""
        ...

    def write(self, entries: Sequence[IndexEntry], delete: Sequence[str] = ()) -> None: ...

    def search(
        self, text: str, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]: ...

    def count(self) -> int: ...


class Records(Protocol):
    """Canonical records of one memory: portable SQL, transactions, writer serialisation."""

    #: collection names of this memory start with ``<kind>-<namespace>`` (several memories
    #: may share one Chroma server)
    namespace: str

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    def transaction(self) -> AbstractContextManager[Any]:
        """All of the block commits, or none of it."""
        ...

    def lock(self, keys: Sequence[str]) -> None:
        """Inside a transaction: wait until no other writer holds any of ``keys``, and hold
        them until the transaction ends (a no-op where transactions already serialise)."""
        ...

    def exclusive(self, key: str, *, wait: bool) -> AbstractContextManager[bool]:
        """Hold ``key`` against other processes for the block; yields whether it was taken
        (``wait=False`` gives up at once instead of waiting)."""
        ...

    def meta(self, key: str) -> str | None: ...

    def set_meta(self, values: dict[str, str]) -> None: ...

    def lexical(self, kind: str) -> Lexical: ...

    def close(self) -> None: ...
