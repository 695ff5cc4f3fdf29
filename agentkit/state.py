"""The typed state the agent graph passes between its nodes.

Only JSON-friendly values live here, because every step is checkpointed: raw observations
(images, audio) stay in the :class:`agentkit.runtime.AgentRuntime`. Nothing here grows with
the number of steps, so every checkpoint has about the same size however long the run:
the raw actions that restore the world on resume go to the runtime's action log (the state
keeps their count, ``env_steps``), and lists are capped (``history``, ``task_actions``,
``blocked``).
"""

from __future__ import annotations

from typing import Annotated, Any, Protocol, TypedDict

__all__ = ["HISTORY_LENGTH", "AgentState", "Node", "llm_totals"]

HISTORY_LENGTH = 20
BLOCKED_LENGTH = 32


def _recent(old: list[str] | None, new: list[str] | None) -> list[str]:
    return ((old or []) + (new or []))[-HISTORY_LENGTH:]


def _blocked(old: list[str] | None, new: list[str] | None) -> list[str]:
    """A node writes the whole list; kept are its last ``BLOCKED_LENGTH`` distinct choices."""
    distinct = list(dict.fromkeys(reversed(new or [])))[:BLOCKED_LENGTH]
    return distinct[::-1]


def _add_stats(
    old: dict[str, dict[str, float]] | None, new: dict[str, dict[str, float]] | None
) -> dict[str, dict[str, float]]:
    merged = {node: dict(values) for node, values in (old or {}).items()}
    for node, values in (new or {}).items():
        totals = merged.setdefault(node, {})
        for key, value in values.items():
            totals[key] = round(totals.get(key, 0) + value, 6)
    return merged


def llm_totals(*per_node: dict[str, dict[str, float]] | None) -> dict[str, float]:
    """Per-node LLM counters (``AgentState.llm``, one or more episodes') summed, plus ``tokens``."""
    totals: dict[str, float] = {}
    for stats in per_node:
        for values in (stats or {}).values():
            for key, value in values.items():
                totals[key] = totals.get(key, 0) + value
    totals["tokens"] = totals.get("prompt_tokens", 0) + totals.get("completion_tokens", 0)
    return totals


class AgentState(TypedDict, total=False):
    """State of one episode.

    ``blocked`` lists the choices (``action`` or ``action(argument)``) that failed since the
    last success: the next decision may not repeat them (the last ``BLOCKED_LENGTH``
    distinct ones). ``streak`` is ``[choice, count]``
    of the same choice repeated with nothing happening (no reward, no event). ``llm`` holds
    per-node totals (calls, prompt and completion tokens, latency, repairs, fallbacks);
    ``history`` keeps the last few actions with their feedback for the prompt.
    ``env_steps`` counts the raw actions applied to the world in this thread: the runtime's
    action log holds them (:class:`agentkit.runtime.ActionLog`). ``approve`` is set once a
    run of the thread asks for approval (:mod:`agentkit.approval`) and stays for the thread.

    Lifelong runs (one thread, many tasks in one world) add: ``iteration`` (the task's
    index), ``world_start`` (where the current world's raw actions begin in the action log,
    after a death),
    ``skills`` (skills recalled for this task), ``task_actions`` (``[choice, argument, ok]``
    per step of this task, from which a select-mode skill is written), ``program`` (the last
    program that ran without error, in code mode), ``verdict`` (the critique that ended the
    task), ``task_started`` (step and LLM counters when the task began), ``completed`` and
    ``failed`` (task history for the curriculum) and ``finished``.
    """

    task: str
    seed: int
    max_steps: int
    step: int
    env_steps: int
    percept: str
    plan: list[str]
    references: list[str]
    subgoal: int
    replan: bool
    action: dict[str, Any] | None
    outcome: dict[str, Any] | None
    feedback: str
    retries: int
    blocked: Annotated[list[str], _blocked]
    streak: list[Any]
    reward: float
    success: bool | None
    done: bool
    history: Annotated[list[str], _recent]
    llm: Annotated[dict[str, dict[str, float]], _add_stats]
    iteration: int
    iterations: int
    world_start: int
    skills: list[dict[str, Any]]
    task_actions: list[list[Any]]
    program: str
    verdict: dict[str, Any]
    approve: bool
    task_started: dict[str, float]
    completed: list[str]
    failed: list[str]
    finished: bool


class Node(Protocol):
    """A node of the agent graph: reads the state, returns the keys it changes."""

    def __call__(self, state: AgentState) -> dict[str, Any]: ...
