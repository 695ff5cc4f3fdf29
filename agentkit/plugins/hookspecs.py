"""Hook specifications: the whole plugin API of agentkit.

Plugins implement these with ``@agentkit.hookimpl`` and are found through the entry-point
group ``agentkit``. Registration hooks take a ``register`` callback (callback injection), so
a plugin can add any number of things without returning lists. Every hook here is
documented in ``docs/hooks/`` with its signature; a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("agentkit")
hookimpl = pluggy.HookimplMarker("agentkit")


@hookspec
def register_environments(register: Callable[..., None]) -> None:
    """Register environment factories.

    Call ``register(name, factory, description="")``. ``factory(spec, **options)`` returns an
    :class:`agentkit.Environment`; ``spec`` is the text after ``name:`` on the command line
    (empty when absent), so one factory can serve a family such as ``gymnasium:<id>``.
    """


@hookspec
def register_perceivers(register: Callable[..., None]) -> None:
    """Register modality perceivers.

    Call ``register(perceiver)`` with an object that has ``name`` and
    ``perceive(observation) -> Percept | None``. Each perceiver translates one modality of
    the raw observation into text the controller reads (the "1 + N" pattern).
    """


@hookspec
def register_tools(register: Callable[..., None]) -> None:
    """Register LangChain tools the controller may call as actions.

    Call ``register(tool)`` with a ``langchain_core.tools.BaseTool``. Tools run outside the
    world: their output returns to the controller as feedback and costs no world step.
    """


@hookspec
def register_models(register: Callable[..., None]) -> None:
    """Register chat-model factories.

    Call ``register(name, factory, description="")``. ``factory(**options)`` returns a
    LangChain ``BaseChatModel``. ``--model NAME`` picks one by name; ``provider:model`` names
    go to LangChain's ``init_chat_model`` instead.
    """


@hookspec
def register_embedders(register: Callable[..., None]) -> None:
    """Register text embedders for the skill library and episodic memory.

    Call ``register(name, factory, dimension)``. ``factory()`` returns an object with
    ``embed(texts: list[str]) -> list[list[float]]``. The name and dimension are stored
    with every index so that embedders are never silently mixed.
    """


@hookspec
def register_commands(cli: Any) -> None:
    """Add sub-commands to the ``agentkit`` command line.

    ``cli`` is the root ``typer.Typer``; add commands with ``@cli.command()`` or groups with
    ``cli.add_typer``.
    """


@hookspec
def on_episode_start(run_id: str, episode: int, task: str, env: str) -> None:
    """Observe the start of an episode (logging, dashboards, custom recorders)."""


@hookspec
def on_step(run_id: str, episode: int, record: dict[str, Any]) -> None:
    """Observe one agent step: ``record`` is the line written to ``trajectory.jsonl``."""


@hookspec
def on_episode_end(run_id: str, episode: int, summary: dict[str, Any]) -> None:
    """Observe the end of an episode with its summary (success, steps, metrics)."""


@hookspec
def on_task_end(run_id: str, record: dict[str, Any]) -> None:
    """Observe the end of a task attempt in a lifelong run (``agentkit learn``).

    ``record`` is the line written to ``iterations.jsonl``: iteration, task, success as the
    agent judged it, ``truth`` as the world checks it, steps, LLM calls, the skill learned.
    """


@hookspec
def on_skill_learned(run_id: str, skill: dict[str, Any]) -> None:
    """Observe a skill added to the library, or a new version of one.

    ``skill`` is the stored record: name, version, parent_version, description, code,
    language, environment, verdicts, counts and the episode it came from.
    """
