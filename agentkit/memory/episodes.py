"""Episodic memory: one record per attempted task, searchable by task and plan.

As in GITM, a past episode is useful as a reference plan for a similar task, so what is
embedded is the task followed by the plan; searching for successful episodes first gives
plans that worked. Episodes are identified by ``"<run id>:<iteration>"`` and re-adding an
id replaces the record, so a resumed run can write the same episode again safely.
"""

from __future__ import annotations

import builtins
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from agentkit.memory.embedders import Embedder
from agentkit.memory.entries import IndexEntry
from agentkit.memory.location import MemoryLocation
from agentkit.memory.records import Records
from agentkit.memory.store import Store

__all__ = ["Episode", "EpisodeHit", "EpisodicMemory", "episode_text"]

_SUCCESS = {True: 1, False: 0, None: -1}


class Episode(BaseModel):
    """What happened on one iteration of a run: the task, the plan, the outcome."""

    id: str
    run_id: str
    iteration: int
    environment: str
    task: str
    plan: list[str] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    success: bool | None = None
    critique: str = ""
    metrics: dict[str, Any] = Field(default_factory=dict)
    frames: list[str] = Field(default_factory=list)
    skill: str | None = None
    created: float = 0.0


class EpisodeHit(BaseModel):
    """A search result: an episode and its cosine similarity to the query task."""

    episode: Episode
    score: float


def episode_text(episode: Episode) -> str:
    """The embedded text: the task, then the plan one step a line."""
    return "\n".join([episode.task, *episode.plan])


def _entry(episode: Episode) -> IndexEntry:
    return IndexEntry(
        episode.id,
        episode_text(episode),
        {
            "run_id": episode.run_id,
            "environment": episode.environment,
            "success": _SUCCESS[episode.success],
        },
    )


class EpisodicMemory:
    """Episodes in a memory folder (``records.sqlite`` and ``chroma/``, shared with the
    skills) or on the servers of a ``postgresql://...?chroma=...`` URL."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.folder = store.folder  # None on the server backend
        self.location = store.location

    @classmethod
    def open(
        cls,
        folder: Path | str | MemoryLocation,
        embedder: Embedder,
        *,
        reindex: bool = False,
        wait: float = 10.0,
    ) -> EpisodicMemory:
        """Open or create (``folder``: as for ``SkillLibrary.open``); ``reindex=True`` accepts
        a different embedder and rebuilds for it."""
        store = Store(folder, "episodes", embedder, _canonical, reindex=reindex, wait=wait)
        return cls(store)

    @property
    def _conn(self) -> Records:
        if self._store.conn is None or self._store.closed:
            raise RuntimeError(f"the episodic memory in {self.location} is closed")
        return self._store.conn

    @property
    def embedder(self) -> Embedder:
        return self._store.index.embedder

    def add(self, episode: Episode) -> Episode:
        """Store ``episode``, replacing any earlier record with the same id."""
        if not episode.id:
            raise ValueError("an episode needs an id, e.g. '<run id>:<iteration>'")
        if not episode.created:
            episode = episode.model_copy(update={"created": time.time()})
        with self._store.transaction():
            self._conn.execute(
                "INSERT INTO episodes "
                "(id, run_id, iteration, environment, success, created, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "run_id=excluded.run_id, iteration=excluded.iteration, "
                "environment=excluded.environment, success=excluded.success, "
                "created=excluded.created, data=excluded.data",
                (
                    episode.id,
                    episode.run_id,
                    episode.iteration,
                    episode.environment,
                    None if episode.success is None else int(episode.success),
                    episode.created,
                    episode.model_dump_json(),
                ),
            )
        self._store.index.sync([episode.id])
        return episode

    def get(self, id: str) -> Episode | None:
        row = self._conn.execute("SELECT data FROM episodes WHERE id=?", (id,)).fetchone()
        return None if row is None else Episode.model_validate_json(row[0])

    def list(self, run_id: str | None = None, success: bool | None = None) -> list[Episode]:
        """Episodes by run and iteration; only ``run_id``'s, and only successes or failures
        when ``success`` is given."""
        clauses: builtins.list[str] = []
        params: builtins.list[str | int] = []
        if run_id is not None:
            clauses.append("run_id=?")
            params.append(run_id)
        if success is not None:
            clauses.append("success=?")
            params.append(int(success))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._conn.execute(
            f"SELECT data FROM episodes {where} ORDER BY run_id, iteration, id", params
        ).fetchall()
        return [Episode.model_validate_json(row[0]) for row in rows]

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM episodes").fetchone()[0])

    def search(
        self,
        task: str,
        k: int = 3,
        success: bool | None = True,
        environment: str | None = None,
    ) -> builtins.list[EpisodeHit]:
        """The ``k`` episodes whose task and plan are nearest to ``task``, best first.

        ``success=True`` (the default) returns only successful episodes, the ones worth
        copying a plan from; ``False`` only failures; ``None`` all.
        """
        filters: list[dict[str, Any]] = []
        if success is not None:
            filters.append({"success": _SUCCESS[success]})
        if environment is not None:
            filters.append({"environment": environment})
        where = None if not filters else filters[0] if len(filters) == 1 else {"$and": filters}
        hits: builtins.list[EpisodeHit] = []
        for id_, score, _metadata in self._store.index.query(task, k, where):
            episode = self.get(id_)
            if episode is not None:
                hits.append(EpisodeHit(episode=episode, score=score))
        return hits

    def check(self) -> dict[str, Any]:
        """Canonical and indexed counts, and ids missing, orphaned or stale in the index."""
        return self._store.index.check()

    def reindex(self, embedder: Embedder) -> None:
        """Re-embed every episode with ``embedder`` and make it the memory's embedder."""
        self._store.index.reindex(embedder)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> EpisodicMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _canonical(conn: Records) -> Any:
    def entries(ids: Sequence[str] | None) -> list[IndexEntry]:
        if ids is None:
            rows = conn.execute("SELECT data FROM episodes ORDER BY id").fetchall()
        else:
            rows = []
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows += conn.execute(
                    f"SELECT data FROM episodes WHERE id IN ({marks})", chunk
                ).fetchall()
        return [_entry(Episode.model_validate_json(row[0])) for row in rows]

    return entries
