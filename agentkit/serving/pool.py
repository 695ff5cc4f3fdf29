"""A bounded pool of worlds, one per thread, closed when idle.

A served graph runs many threads at once. Each thread gets its own environment and
runtime (its world, its action log), built on the thread's first run and kept while runs
of that thread come and go, so a later run resumes in the same world without a replay.
A world idle for ``idle_seconds`` is closed, and when ``max_worlds`` are open the least
recently used idle one makes room; a world in use is never taken. A thread whose world
was closed gets a new one, which replays the thread's raw actions from its action log
(:meth:`agentkit.runtime.AgentRuntime.sync`) on its next run.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from agentkit.runtime import AgentRuntime

__all__ = ["PoolFull", "WorldPool"]

log = logging.getLogger(__name__)


class PoolFull(RuntimeError):
    """Every world of the pool is in use: the run must wait or the pool grow."""


@dataclass
class _World:
    runtime: AgentRuntime
    users: int = 0
    last_used: float = field(default_factory=time.monotonic)


class WorldPool:
    """Worlds by thread id: ``with pool.world(thread_id) as runtime: ...``.

    ``make(thread_id)`` builds a thread's runtime (its environment, controller, action
    log). ``max_worlds`` bounds the worlds open at once; ``idle_seconds`` closes a world no
    run has used for that long (checked whenever a world is taken or given back, and by
    :meth:`sweep`).
    """

    def __init__(
        self,
        make: Callable[[str], AgentRuntime],
        *,
        max_worlds: int = 8,
        idle_seconds: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_worlds < 1:
            raise ValueError(f"max_worlds must be at least 1, not {max_worlds}")
        self._make = make
        self.max_worlds = max_worlds
        self.idle_seconds = idle_seconds
        self._clock = clock
        self._worlds: OrderedDict[str, _World] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._worlds)

    def threads(self) -> list[str]:
        """The threads whose worlds are open, least recently used first."""
        with self._lock:
            return list(self._worlds)

    @contextmanager
    def world(self, thread_id: str) -> Iterator[AgentRuntime]:
        """The thread's runtime for the length of one run (built on first use)."""
        runtime = self.acquire(thread_id)
        try:
            yield runtime
        finally:
            self.release(thread_id)

    def acquire(self, thread_id: str) -> AgentRuntime:
        """Take the thread's runtime (building it if needed); pair with :meth:`release`."""
        closing: list[AgentRuntime] = []
        with self._lock:
            closing += self._expired()
            world = self._worlds.get(thread_id)
            if world is None:
                if len(self._worlds) >= self.max_worlds:
                    idle = [t for t, w in self._worlds.items() if w.users == 0]
                    if not idle:
                        raise PoolFull(
                            f"all {self.max_worlds} worlds are in use; retry when a run ends "
                            "or serve with a larger AGENTKIT_SERVE_MAX_WORLDS"
                        )
                    closing.append(self._worlds.pop(idle[0]).runtime)
                world = self._worlds[thread_id] = _World(self._make(thread_id))
            world.users += 1
            world.last_used = self._clock()
            self._worlds.move_to_end(thread_id)
        self._close(closing)
        return world.runtime

    def release(self, thread_id: str) -> None:
        """Give back what :meth:`acquire` took; the world stays open for the thread."""
        with self._lock:
            world = self._worlds.get(thread_id)
            if world is not None:
                world.users -= 1
                world.last_used = self._clock()
            closing = self._expired()
        self._close(closing)

    def _expired(self) -> list[AgentRuntime]:
        """Remove (under the lock) the worlds idle for too long; the caller closes them."""
        now = self._clock()
        gone = [
            t
            for t, w in self._worlds.items()
            if w.users == 0 and now - w.last_used >= self.idle_seconds
        ]
        return [self._worlds.pop(t).runtime for t in gone]

    def sweep(self) -> int:
        """Close the worlds idle for longer than ``idle_seconds``; return how many."""
        with self._lock:
            closing = self._expired()
        self._close(closing)
        return len(closing)

    def close(self, thread_id: str | None = None) -> None:
        """Close one thread's world (if idle), or every idle world."""
        with self._lock:
            if thread_id is None:
                gone = [t for t, w in self._worlds.items() if w.users == 0]
            else:
                world = self._worlds.get(thread_id)
                gone = [thread_id] if world is not None and world.users == 0 else []
            closing = [self._worlds.pop(t).runtime for t in gone]
        self._close(closing)

    @staticmethod
    def _close(runtimes: list[AgentRuntime]) -> None:
        for runtime in runtimes:
            try:
                runtime.env.close()
            except Exception as error:  # one world failing to close must not stop the rest
                log.warning("closing a world failed: %s: %s", type(error).__name__, error)
            closer = getattr(runtime.actions, "close", None)
            if callable(closer):
                closer()
