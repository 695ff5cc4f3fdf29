"""The graph ``langgraph dev`` serves (``langgraph.json``): one world per thread.

The LangGraph server calls :func:`make_graph` with each run's config, so every run gets a
graph bound to its own thread's world from a :class:`agentkit.serving.WorldPool`: threads
run at once, each in its own environment, and a thread's next run finds its world again.
Requests that only read (a thread's state, the graph's schema) get the same graph bound to
no world, and never build one.

Blocking work (loading plugins through entry points, building an environment, closing
one) runs in a worker thread, never on the server's event loop, so the server's
blocking-call detector has nothing to report and ``--allow-blocking`` is not needed.

Settings, from the server's environment:

- ``AGENTKIT_SERVE_ENV`` (``crafter``) and ``AGENTKIT_SERVE_MODEL`` (the default model);
- ``AGENTKIT_SERVE_MODE`` (``select``): ``select`` (the model chooses a primitive, a tool or
  a skill) or ``code`` (it writes a Python program over the primitives, run in the
  sandbox); approval (``approve: true`` in a run's ``configurable``) reviews programs and
  tool calls, so in ``select`` mode it pauses only for tools;
- ``AGENTKIT_SERVE_MAX_WORLDS`` (8) and ``AGENTKIT_SERVE_IDLE_S`` (600): the pool's bounds;
- ``AGENTKIT_HOME``: each thread's raw actions go to ``<home>/serve/<thread>.jsonl``,
  so a thread whose world was closed resumes in an exact copy of it.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import os
import re
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph

from agentkit.controller import Controller
from agentkit.environment import ActionSpec, Environment, Observation, StepResult
from agentkit.environments import make_environment
from agentkit.graph import build_graph
from agentkit.models import DEFAULT_MODEL, resolve_model
from agentkit.plugins import Registry, get_registry
from agentkit.runs.folder import FileActionLog, default_home
from agentkit.runtime import AgentRuntime
from agentkit.serving.pool import WorldPool

__all__ = ["MODES", "Served", "make_graph", "served"]

MODES = ("select", "code")
"""How a served thread decides: choose a step, or write a program (``AGENTKIT_SERVE_MODE``)."""


@dataclass
class Served:
    """What one server process shares between threads: plugins, the model, the pool of
    worlds, and the graph that answers reads (built once)."""

    registry: Registry
    env: str
    model: Any
    home: Path
    max_worlds: int = 8
    idle_seconds: float = 600.0
    mode: str = "select"
    pool: WorldPool = field(init=False)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"AGENTKIT_SERVE_MODE must be select or code, not {self.mode!r}")
        self.pool = WorldPool(
            self.runtime, max_worlds=self.max_worlds, idle_seconds=self.idle_seconds
        )

    @classmethod
    def from_environ(cls) -> Served:
        """The parts the ``AGENTKIT_SERVE_*`` variables and ``AGENTKIT_HOME`` describe."""
        registry = get_registry()
        return cls(
            registry=registry,
            env=os.environ.get("AGENTKIT_SERVE_ENV", "crafter"),
            model=resolve_model(os.environ.get("AGENTKIT_SERVE_MODEL", DEFAULT_MODEL), registry),
            home=default_home(),
            max_worlds=int(os.environ.get("AGENTKIT_SERVE_MAX_WORLDS", "8")),
            idle_seconds=float(os.environ.get("AGENTKIT_SERVE_IDLE_S", "600")),
            mode=os.environ.get("AGENTKIT_SERVE_MODE", "select"),
        )

    def runtime(self, thread_id: str) -> AgentRuntime:
        """A new world for ``thread_id``, its raw actions logged under the serve folder.

        In code mode each program runs in the sandbox with its default limits, in a fresh
        folder under ``<home>/serve/programs`` (as ``agentkit learn --mode code`` runs them
        under its run folder), not in the server's working folder.
        """
        folder = self.home / "serve"
        folder.mkdir(parents=True, exist_ok=True)
        return AgentRuntime(
            env=make_environment(self.env, self.registry),
            controller=Controller(self.model),
            perceivers=list(self.registry.perceivers),
            tools=list(self.registry.tools),
            actions=FileActionLog(folder / f"{_file_name(thread_id)}.jsonl", 0),
            mode=self.mode,
            workdir=folder / "programs",
        )

    @functools.cached_property
    def reader(self) -> CompiledStateGraph:
        """The graph bound to no world, for requests that only read (state, schema)."""
        return build_graph(
            AgentRuntime(env=_NoWorld(), controller=Controller(self.model))
        ).compile()


_SERVED: Served | None = None
_SERVED_LOCK = threading.Lock()


def served() -> Served:
    """The process's shared parts, built on first use (blocking: call it off the loop)."""
    global _SERVED
    with _SERVED_LOCK:
        if _SERVED is None:
            _SERVED = Served.from_environ()
        return _SERVED


@asynccontextmanager
async def make_graph(config: RunnableConfig) -> AsyncIterator[CompiledStateGraph]:
    """The agent graph for one request: bound to its thread's world when it will run."""
    shared = await asyncio.to_thread(served)
    configurable = config.get("configurable") or {}
    thread = configurable.get("thread_id")
    if thread is None or not configurable.get("__is_for_execution__", False):
        yield shared.reader
        return
    runtime = await asyncio.to_thread(shared.pool.acquire, str(thread))
    try:
        yield build_graph(runtime).compile()
    finally:
        await asyncio.to_thread(shared.pool.release, str(thread))


def _file_name(thread_id: str) -> str:
    """A file name for any thread id: its safe characters and a short hash."""
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", thread_id)[:64]
    return f"{safe}-{hashlib.sha256(thread_id.encode()).hexdigest()[:8]}"


class _NoWorld(Environment):
    """The world of a graph that only answers reads: any use of it is a bug, said so."""

    name = "no-world"

    def _refuse(self) -> Any:
        raise RuntimeError("this graph serves reads (state, schema) and has no world to run in")

    def reset(self, seed: int | None = None) -> Observation:
        return self._refuse()

    def step(self, action: str, argument: str | None = None) -> StepResult:
        return self._refuse()

    def actions(self) -> list[ActionSpec]:
        return self._refuse()

    def replay(self, raw_actions: Sequence[Any]) -> Observation:
        return self._refuse()
