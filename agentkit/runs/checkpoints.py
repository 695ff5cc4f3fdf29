"""How runs checkpoint: the cadence and durability a run chooses (``RunConfig.durability``).

Three modes (docs/runs.md says what each trades):

- ``step`` (the default): one checkpoint per agent step, saved before the next step does
  anything (:class:`StepCheckpointer` keeps only the checkpoints taken where a step starts;
  LangGraph saves them in the background, ``durability="async"``, and the runtime's barrier,
  :meth:`StepCheckpointer.wait_saved`, holds the next step's nodes until its start is
  saved). A kill loses at most the step in flight.
- ``node``: LangGraph's own cadence, a checkpoint after every node, saved before the next
  node starts. A kill loses at most the node in flight; every node's state stays
  inspectable (``get_state_history``), at five times the writes.
- ``exit``: LangGraph's ``durability="exit"``: one checkpoint when the episode ends. The
  fastest; a kill loses the whole episode in flight.

Independently, ``fsync`` says whether a write must reach the disk (SQLite's
``synchronous=FULL``, an ``fsync`` per trajectory and action-log line) or only the operating
system (``synchronous=NORMAL`` in WAL mode, a flush). A killed process loses nothing the
operating system has; a power cut or kernel crash can lose the last writes without fsync.

Where checkpoints go: the run folder's ``checkpoints.sqlite`` (the embedded default), or a
PostgreSQL database named by a ``postgresql://`` URL (``RunConfig.checkpointer``, through
langgraph-checkpoint-postgres), which several machines can reach and which commits each
checkpoint durably on the server (``fsync`` is the server's setting there).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
)
from langgraph.checkpoint.sqlite import SqliteSaver

if TYPE_CHECKING:
    from agentkit.runtime import AgentRuntime
from langgraph.types import Durability as GraphDurability

__all__ = [
    "DURABILITY",
    "Durability",
    "StepCheckpointer",
    "check_checkpointer",
    "is_postgres",
    "open_checkpointer",
]

Durability = Literal["step", "node", "exit"]
DURABILITY: tuple[str, ...] = ("step", "node", "exit")
_BRANCH = "branch:to:"


def check_durability(value: str) -> Durability:
    if value not in DURABILITY:
        raise ValueError(f"durability must be one of {', '.join(DURABILITY)}, not {value!r}")
    return value  # type: ignore[return-value]


class StepCheckpointer(BaseCheckpointSaver[Any]):
    """Save only the checkpoints where a step begins (or the graph ends); skip the rest.

    LangGraph checkpoints after every node. This saver passes a checkpoint on to ``inner``
    only when the nodes it triggers are all in ``starts`` (the first node of a step), when
    it triggers none (the graph ended) or when it is the input; the others are dropped, and
    so are the task writes (a node's output) but errors and interrupts, which are saved
    with their checkpoint. A resume therefore starts from the beginning
    of the step that was in flight. Channels updated by dropped checkpoints are passed on as
    new versions with the next saved one, so savers that store each channel version
    separately (Postgres) store them.
    """

    def __init__(
        self, inner: BaseCheckpointSaver[Any], starts: Collection[str], counter: str = "step"
    ) -> None:
        super().__init__(serde=inner.serde)
        self.inner = inner
        self.starts = frozenset(starts)
        self.counter = counter
        self.saved_id: str | None = None
        self.skipped = 0
        self._lock = threading.Lock()  # LangGraph calls savers from its executor's threads
        self._saved = threading.Condition(self._lock)
        self._saved_steps: dict[str, int] = {}
        self._pending_versions: set[str] = set()
        self._held: tuple[RunnableConfig, Checkpoint, CheckpointMetadata] | None = None
        self._early: tuple[str, list[tuple[RunnableConfig, list[Any], str, str]]] | None = None

    def _is_boundary(self, checkpoint: Checkpoint, metadata: CheckpointMetadata) -> bool:
        if metadata.get("source") != "loop":
            return True  # the input, a fork, an update: always kept
        updated = checkpoint.get("updated_channels")
        if updated is None:
            return True
        triggered = {c[len(_BRANCH) :] for c in updated if c.startswith(_BRANCH)}
        return triggered <= self.starts

    # writing ---------------------------------------------------------------------------
    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        with self._lock:
            early = self._early if self._early and self._early[0] == checkpoint["id"] else None
            if early is None and not self._is_boundary(checkpoint, metadata):
                self._pending_versions.update(new_versions)
                self.skipped += 1
                self._held = (config, checkpoint, metadata)
                configurable = config.get("configurable", {})
                return {"configurable": {**configurable, "checkpoint_id": checkpoint["id"]}}
            saved = self._save(config, checkpoint, metadata, new_versions)
            for args in early[1] if early else []:
                self.inner.put_writes(*args)
            self._early = None
            return saved

    def _save(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        self._held = None
        versions = checkpoint["channel_versions"]
        merged = {c: versions[c] for c in self._pending_versions if c in versions}
        merged.update(new_versions)
        self._pending_versions.clear()
        self.saved_id = checkpoint["id"]
        saved = self.inner.put(config, checkpoint, metadata, merged)
        self._note_saved(config, checkpoint)
        return saved

    def _note_saved(self, config: RunnableConfig, checkpoint: Checkpoint) -> None:
        """Called with the lock held: ``checkpoint`` of its thread is on disk."""
        thread = str(config.get("configurable", {}).get("thread_id"))
        step = int(checkpoint["channel_values"].get(self.counter) or 0)
        if step >= self._saved_steps.get(thread, -1):
            self._saved_steps[thread] = step
            self._saved.notify_all()

    def wait_saved(self, thread_id: str, step: int, timeout: float = 30.0) -> bool:
        """Block until a checkpoint of ``thread_id`` at ``step`` (or later) is saved.

        The barrier of ``durability="step"``: the node that begins step ``step + 1`` calls it
        (through ``AgentRuntime.begin_step``) before it does anything, so a kill finds the
        finished step saved. False if ``timeout`` passed first (the node then goes on).
        """
        with self._saved:
            return self._saved.wait_for(
                lambda: self._saved_steps.get(thread_id, -1) >= step, timeout
            )

    def put_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        # A node's output is not kept: the next saved checkpoint holds it, and a resume
        # before then runs the step again. An error, interrupt or resume is kept, with the
        # checkpoint it belongs to (saved now if it was skipped, or when it comes if the
        # writes came first), so LangGraph's error and interrupt handling work as usual.
        special = [(c, v) for c, v in writes if c in WRITES_IDX_MAP]
        if not special:
            return
        checkpoint_id = str(config.get("configurable", {}).get("checkpoint_id"))
        with self._lock:
            if self._held is not None and self._held[1]["id"] == checkpoint_id:
                self._save(*self._held, {})
            if checkpoint_id == self.saved_id:
                self.inner.put_writes(config, special, task_id, task_path)
                return
            if self._early is None or self._early[0] != checkpoint_id:
                self._early = (checkpoint_id, [])
            self._early[1].append((config, special, task_id, task_path))

    # reading and the rest: the inner saver's ----------------------------------------------
    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        found = self.inner.get_tuple(config)
        if found is not None:  # what a run resumes from is saved
            with self._lock:
                self._note_saved(found.config, found.checkpoint)
        return found

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        return self.inner.list(config, filter=filter, before=before, limit=limit)

    def delete_thread(self, thread_id: str) -> None:
        self.inner.delete_thread(thread_id)

    def get_next_version(self, current: Any, channel: None) -> Any:
        return self.inner.get_next_version(current, channel)


POSTGRES_SCHEMES = ("postgresql://", "postgres://")
POSTGRES_HINT = (
    "a PostgreSQL checkpointer needs langgraph-checkpoint-postgres and psycopg: "
    "pip install 'xmodal-agentkit[server]'"
)


def is_postgres(location: str | Path | None) -> bool:
    """Whether ``location`` names a PostgreSQL database rather than a SQLite file."""
    return isinstance(location, str) and location.startswith(POSTGRES_SCHEMES)


def check_checkpointer(location: str | None) -> str | None:
    """``None`` (the run folder's SQLite file) or a ``postgresql://`` URL; else a clear error."""
    if location is None or is_postgres(location):
        return location
    raise ValueError(
        f"checkpointer must be a postgresql:// URL (or left out for the run folder's "
        f"SQLite file), not {location!r}"
    )


@contextmanager
def _sqlite(path: Path, fsync: bool) -> Iterator[BaseCheckpointSaver[Any]]:
    with closing(sqlite3.connect(path, check_same_thread=False)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={'FULL' if fsync else 'NORMAL'}")
        yield SqliteSaver(conn)


@contextmanager
def _postgres(url: str) -> Iterator[BaseCheckpointSaver[Any]]:
    try:
        from langgraph.checkpoint.postgres import PostgresSaver
    except ImportError as error:
        raise RuntimeError(f"{POSTGRES_HINT} ({error})") from error
    import psycopg

    try:
        with PostgresSaver.from_conn_string(url) as saver:
            saver.setup()  # creates or migrates its tables; a no-op when they are current
            yield saver
    except psycopg.OperationalError as error:
        raise RuntimeError(f"cannot reach the PostgreSQL checkpointer: {error}") from error


@contextmanager
def open_checkpointer(
    location: Path | str,
    durability: str,
    starts: Collection[str],
    *,
    fsync: bool = False,
    runtime: AgentRuntime | None = None,
) -> Iterator[tuple[BaseCheckpointSaver[Any], GraphDurability]]:
    """A checkpointer for ``durability`` and the ``durability`` to stream with.

    ``location`` is a SQLite file or a ``postgresql://`` URL. ``starts`` names the nodes
    that begin a step (``perceive``; ``curriculum`` too in a lifelong run), where ``step``
    mode keeps its checkpoints. In ``step`` mode the saver is a :class:`StepCheckpointer`,
    and ``runtime``'s barrier becomes its :meth:`~StepCheckpointer.wait_saved`: without it
    a kill can lose a finished step too.
    """
    mode = check_durability(durability)
    opened = _postgres(str(location)) if is_postgres(location) else _sqlite(Path(location), fsync)
    with opened as saver:
        if mode == "step":
            # saved in the background: the runtime's barrier (StepCheckpointer.wait_saved)
            # holds the next step until its start is on disk
            stepper = StepCheckpointer(saver, starts)
            if runtime is not None:
                runtime.barrier = stepper.wait_saved
            yield stepper, "async"
        else:
            yield saver, "exit" if mode == "exit" else "sync"
