"""The run engine: what every run does, whatever it runs.

Single runs (:mod:`agentkit.runs.single`), lifelong runs (:mod:`agentkit.runs.lifelong`)
and the benchmarks that drive them all go through :func:`execute`:

1. the caller prepares the world and the model (failing before a folder exists) and opens
   the run folder (:func:`create_folder`, or :meth:`RunFolder.open` to resume);
2. the engine opens the checkpointer (:func:`agentkit.runs.checkpoints.open_checkpointer`,
   which wires the runtime's barrier) and compiles the graph;
3. for each thread (an episode, or a lifelong run's whole life) it cuts the trajectory back
   to the checkpointed step, starts or resumes the thread, and streams it;
4. the graph's ``custom`` stream is the one channel a step leaves by: the engine reads every
   event and records it (``trajectory.jsonl`` and frames for ``step``, ``iterations.jsonl``
   for ``learn``), feeds the observer hooks (``on_step``, ``on_task_end``,
   ``on_skill_learned``) and the caller's ``on_event`` (progress bars, benchmarks' clocks).

LangGraph hands a node's custom events to the stream before it saves the checkpoint that
follows the node, so a step's line is written before the checkpoint where the next step
begins: a kill still loses at most the step in flight (docs/runs.md).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command

from agentkit.plugins import Registry
from agentkit.runs.checkpoints import open_checkpointer
from agentkit.runs.folder import RunFolder, default_home, new_run_id
from agentkit.runtime import AgentRuntime

__all__ = ["Approver", "EventSink", "RunResult", "Thread", "create_folder", "execute"]

Approver = Callable[[dict[str, Any]], dict[str, Any]]
"""Gets an approval request (what would run) and returns the verdict (agentkit.approval)."""
EventSink = Callable[[dict[str, Any]], None]
"""Gets each custom stream event, ``{"event": ..., "episode": ..., **payload}``."""
ITERATIONS_FILE = "iterations.jsonl"


@dataclass
class RunResult:
    """What a finished run (single or lifelong) returns: its id, folder and summary."""

    run_id: str
    folder: Path
    summary: dict[str, Any]


@dataclass
class Thread:
    """One LangGraph thread of a run: an episode, or the whole of a lifelong run.

    ``inputs`` start it when nothing is checkpointed; ``ended(snapshot)`` says whether a
    checkpointed thread has nothing left to run; ``on_start`` is called on a fresh start
    (not a resume), ``on_end(final_values, seconds)`` when the stream ends, with the
    seconds this process streamed.
    """

    name: str
    episode: int
    inputs: dict[str, Any]
    recursion_limit: int
    ended: Callable[[Any], bool]
    on_start: Callable[[], None] | None = None
    on_end: Callable[[dict[str, Any], float], None] | None = None


def create_folder(
    home: Path | None,
    run_id: str | None,
    config: dict[str, Any],
    on_created: Callable[[Path], None] | None = None,
) -> RunFolder:
    """A new run folder; ``on_created`` hears of it before the first step."""
    folder = RunFolder.create(home or default_home(), run_id or new_run_id(), config)
    if on_created is not None:
        on_created(folder.path)
    return folder


def execute(
    folder: RunFolder,
    runtime: AgentRuntime,
    build: Callable[[AgentRuntime], Any],
    threads: Iterable[Thread],
    *,
    registry: Registry,
    durability: str,
    starts: Iterable[str],
    fsync: bool = False,
    on_event: EventSink | None = None,
    checkpointer: str | None = None,
    approver: Approver | None = None,
) -> None:
    """Run ``threads`` of ``build(runtime)`` in ``folder``; record what their stream says.

    ``approver`` answers the graph's approval requests (:mod:`agentkit.approval`): it gets
    what would run and returns the verdict the run resumes with.

    ``starts`` names the nodes that begin a step (where ``durability="step"`` saves);
    ``checkpointer`` is a ``postgresql://`` URL, or None for the folder's SQLite file. The
    folder and the world are closed when it returns or raises.
    """
    run_id = folder.meta()["run_id"]
    folder.fsync = fsync
    recorder = _Recorder(folder, runtime, registry, run_id, on_event)
    try:
        with open_checkpointer(
            checkpointer or folder.checkpoints,
            durability,
            tuple(starts),
            fsync=fsync,
            runtime=runtime,
        ) as (saver, mode):
            graph = build(runtime).compile(checkpointer=saver)
            for thread in threads:
                log = runtime.actions = folder.action_log(thread.episode)
                try:
                    _stream(graph, folder, thread, run_id, mode, recorder, approver)
                finally:
                    log.close()
    finally:
        recorder.close()
        folder.close()
        runtime.env.close()


def _stream(
    graph: Any,
    folder: RunFolder,
    thread: Thread,
    run_id: str,
    mode: Any,
    recorder: _Recorder,
    approver: Approver | None = None,
) -> None:
    config: RunnableConfig = {
        "configurable": {"thread_id": f"{run_id}:{thread.name}"},
        "recursion_limit": thread.recursion_limit,
    }
    snapshot = graph.get_state(config)
    inputs: dict[str, Any] | None = None
    if snapshot.values:
        _check_nodes(graph, config)
        folder.truncate(thread.episode, int(snapshot.values.get("step", 0)))
    else:
        folder.truncate(thread.episode, 0)
        inputs = thread.inputs
        if thread.on_start is not None:
            thread.on_start()
    recorder.episode = thread.episode
    started = time.perf_counter()
    if inputs is not None or not thread.ended(snapshot):
        pending: Any = inputs
        while True:
            for event in graph.stream(pending, config, stream_mode="custom", durability=mode):
                recorder(event)
            waiting = graph.get_state(config).interrupts
            if not waiting:
                break
            if approver is None:
                raise RuntimeError(
                    "the run paused for approval and nobody is asked here: resume it with "
                    "an approver (agentkit run --resume RUN_ID --approve)"
                )
            pending = Command(resume=approver(waiting[0].value))
    seconds = time.perf_counter() - started
    if thread.on_end is not None:
        thread.on_end(graph.get_state(config).values, seconds)


RENAMED_NODES = {"act": "decide", "observe": "execute"}
"""Nodes of the loop that were renamed, old name -> new name (agentkit 0.1, issue 15)."""


class CheckpointMismatch(ValueError):
    """A thread was checkpointed by a loop whose nodes this version's loop lacks."""


def _check_nodes(graph: Any, config: RunnableConfig) -> None:
    """Refuse a thread whose checkpoint names nodes this graph lacks.

    LangGraph would resume such a thread by doing nothing at all (a node it cannot find is
    never scheduled), so the run would look finished when it is not.
    """
    saved = graph.checkpointer.get_tuple(config)
    if saved is None:
        return
    # the nodes that ran, and those an edge was taken to ("branch:to:<node>")
    named = set(saved.checkpoint.get("versions_seen", {}))
    for channel in saved.checkpoint.get("channel_versions", {}):
        if channel.startswith("branch:to:"):
            named.add(channel.removeprefix("branch:to:"))
    unknown = sorted(n for n in named if not n.startswith("__") and n not in graph.nodes)
    if unknown:
        renamed = [f"{old} -> {RENAMED_NODES[old]}" for old in unknown if old in RENAMED_NODES]
        why = f" (renamed since: {', '.join(renamed)})" if renamed else ""
        raise CheckpointMismatch(
            f"this run was checkpointed by a loop with nodes {unknown} that this version of "
            f"agentkit does not have{why}; it cannot be resumed: start a new run"
        )


class _Recorder:
    """The one consumer of the custom stream: records, observer hooks, the caller's sink."""

    def __init__(
        self,
        folder: RunFolder,
        runtime: AgentRuntime,
        registry: Registry,
        run_id: str,
        on_event: EventSink | None,
    ) -> None:
        self.folder = folder
        self.runtime = runtime
        self.registry = registry
        self.run_id = run_id
        self.on_event = on_event
        self.episode = 0
        self.live_view: str | None = None

    def __call__(self, event: dict[str, Any]) -> None:
        self._note_live_view()  # any event: the first (a plan) comes right after the reset
        kind = event.get("event")
        if kind == "step":
            event = {**event, "record": self._step(event["record"])}
        elif kind == "learn" and "record" in event:
            self._task(event["record"])
        if self.on_event is not None:
            self.on_event({**event, "episode": self.episode})

    def _step(self, line: dict[str, Any]) -> dict[str, Any]:
        # The execute node wrote the line from its StepRecord; only the episode, which the
        # engine knows and the node does not, is stamped on it (no parse and re-serialise
        # on every step).
        episode = self.episode
        record = {**line, "episode": episode}
        self.folder.append(record)
        frame = self.runtime.env.frame()
        if frame is not None:
            self.folder.save_frame(episode, int(record["step"]), frame)
        self.registry.notify("on_step", run_id=self.run_id, episode=episode, record=record)
        return record

    def _note_live_view(self) -> None:
        """Keep run.json's ``live_view`` in step with the world's (it may move on a reset)."""
        url = self.runtime.env.live_view
        if url != self.live_view:
            self.folder.set_live_view(url)
            self.live_view = url

    def close(self) -> None:
        """The run is over: its world, and so its live view, is gone."""
        if self.live_view is not None:
            self.folder.set_live_view(None)
            self.live_view = None

    def _task(self, record: dict[str, Any]) -> None:
        with (self.folder.path / ITERATIONS_FILE).open("a") as handle:
            handle.write(json.dumps(record, default=str) + "\n")
        self.registry.notify("on_task_end", run_id=self.run_id, record=record)
        skills = self.runtime.skills
        if record.get("skill") and skills is not None:
            name, _, version = str(record["skill"]).rpartition("@v")
            learned = skills.get(name, int(version))
            if learned is not None:
                self.registry.notify(
                    "on_skill_learned", run_id=self.run_id, skill=learned.model_dump()
                )
