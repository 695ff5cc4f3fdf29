"""What the graph's nodes use but never checkpoint: the world, the controller, perceivers.

The runtime is bound into the graph when it is built, so the compiled graph can be embedded,
served or resumed without passing live objects through LangGraph's config. It also keeps the
environment in step with the checkpointed state: after a restart the first node to run
resets the world with the episode's seed and replays the recorded raw actions.

The raw actions are not in the checkpointed state (a list that grows with every step would
make every checkpoint grow with the run): they go to an :class:`ActionLog`, and the state
keeps only their count (``env_steps``) and where the current world's begin
(``world_start``). A run folder gives a file-backed log
(:class:`agentkit.runs.folder.FileActionLog`) so a killed process can resume; the default
:class:`MemoryActionLog` lasts as long as the process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from agentkit.controller import Controller
from agentkit.environment import Environment, Observation

__all__ = ["ActionLog", "ActionLogGap", "AgentRuntime", "MemoryActionLog"]


class ActionLogGap(RuntimeError):
    """The action log lacks raw actions the checkpointed state says were taken."""


class ActionLog(Protocol):
    """Where a thread's raw actions are kept, by position (0 is the thread's first action).

    ``write(at, raw)`` stores ``raw`` from position ``at`` on, dropping whatever the log held
    from ``at`` (a step redone after a resume overwrites its earlier attempt);
    ``read(start, stop)`` returns positions ``start`` to ``stop`` and raises
    :class:`ActionLogGap` when the log holds fewer.
    """

    def write(self, at: int, raw: Sequence[Any]) -> None: ...

    def read(self, start: int, stop: int) -> list[Any]: ...


class MemoryActionLog:
    """An :class:`ActionLog` in a list: enough within one process (tests, embedded graphs)."""

    def __init__(self) -> None:
        self.actions: list[Any] = []

    def write(self, at: int, raw: Sequence[Any]) -> None:
        if at > len(self.actions):
            raise ActionLogGap(f"writing at {at} but the log holds {len(self.actions)} actions")
        del self.actions[at:]
        self.actions.extend(raw)

    def read(self, start: int, stop: int) -> list[Any]:
        if stop > len(self.actions):
            raise ActionLogGap(
                f"the state needs {stop} raw actions but this process's log holds "
                f"{len(self.actions)}: resuming in a new process needs a persistent action log "
                "(runs get one in their run folder)"
            )
        return self.actions[start:stop]


@dataclass
class AgentRuntime:
    """Live dependencies of one agent.

    ``skills`` and ``episodes`` are the lifelong memory (``agentkit.memory``), None when off;
    ``mode`` is ``select`` (choose a primitive or a skill) or ``code`` (write a program);
    ``verify`` turns self-verification off altogether (an ablation: tasks then end at
    their step budget and count as done, as in Voyager without self-verification).
    ``plan_ends_task``: when the world cannot check the task, every sub-goal verified by the
    controller ends it as a success (lifelong runs, whose tasks are meant to end); off for
    open-ended runs, which re-plan instead. ``use_knowledge``: when the world gives its
    rules (``Environment.knowledge``), plan from them and choose among the steps they
    allow (off is an ablation); ``reason_first``: the model writes its reason before its
    choice.
    """

    env: Environment
    controller: Controller
    perceivers: list[Any] = field(default_factory=list)
    tools: list[Any] = field(default_factory=list)
    critic: bool = True
    critique_interval: int = 5
    max_retries: int = 2
    replan_interval: int = 25
    repeat_limit: int = 4
    observation: Observation | None = None
    applied: int = 0
    episode_key: tuple[Any, ...] | None = None
    skills: Any = None
    episodes: Any = None
    curriculum: Any = None
    mode: str = "select"
    verify: bool = True
    recall_k: int = 3
    direct_reuse: bool = True
    """Run the task's own verified skill before asking the model (agentkit.nodes.reuse)."""
    task_steps: int = 20
    plan_ends_task: bool = False
    run_id: str = ""
    workdir: Path | None = None
    sandbox_limits: Any = None
    use_knowledge: bool = True
    reason_first: bool = True
    approve: bool = False
    """Pause before a program or a tool call runs for a person's verdict (agentkit.approval)."""
    actions: ActionLog = field(default_factory=MemoryActionLog)
    barrier: Callable[[str, int], Any] | None = None
    """Called as ``barrier(thread_id, step)`` by the node that begins a step (perceive, and
    curriculum in a lifelong run): returns when the checkpoint where that step begins is
    saved (``StepCheckpointer.wait_saved``)."""

    def record(self, at: int, raw: Sequence[Any]) -> None:
        """Log the raw actions one step applied, ``at`` the thread's count before it."""
        if raw:
            self.actions.write(at, raw)

    def begin_step(self, state: dict[str, Any]) -> None:
        """Called by the node that begins a step: wait until the step's start is saved."""
        if self.barrier is not None:
            thread = _thread_id()
            if thread is not None:
                self.barrier(thread, state.get("step", 0))

    def sync(self, state: dict[str, Any]) -> Observation:
        """Return the current observation, resetting or replaying the world if needed."""
        # A lifelong run keeps one world across tasks until it ends; ``world_start`` marks
        # where the current world's actions begin in the thread's action log, ``env_steps``
        # where they end.
        start = state.get("world_start", 0)
        count = state.get("env_steps", 0) - start
        key = (state.get("seed"), start)
        new_episode = not count and not state.get("step") and self.applied > 0
        out_of_step = self.applied != count or key != self.episode_key
        if self.observation is None or new_episode or out_of_step:
            self.observation = self.env.reset(seed=state.get("seed"))
            self.applied = 0
            if count:
                self.observation = self.env.replay(self.actions.read(start, start + count))
                self.applied = count
            self.episode_key = key
        return self.observation


def _thread_id() -> str | None:
    """The LangGraph thread of the node running now, if any."""
    try:
        from langgraph.config import get_config

        thread = get_config().get("configurable", {}).get("thread_id")
    except RuntimeError:  # called outside a graph (a node tested on its own)
        return None
    return None if thread is None else str(thread)
