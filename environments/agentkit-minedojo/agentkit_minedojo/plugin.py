"""agentkit plugin entry point: registers the ``minedojo`` environment.

``minedojo:<task_id>`` picks a MineDojo task (``minedojo:harvest_1_log``); plain
``minedojo`` is the open-ended world. Building the environment does not start Minecraft:
the simulator is made on the first ``reset``, which explains what is missing when MineDojo's
simulator cannot run here (see ``agentkit_minedojo.simulator``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentkit.plugins.hookspecs import hookimpl

__all__ = ["make_minedojo", "register_environments"]


def make_minedojo(spec: str = "", **options: Any) -> Any:
    """Build a :class:`MineDojoEnvironment`; ``spec`` is a MineDojo task id (default open-ended)."""
    from agentkit_minedojo.env import MineDojoEnvironment

    if spec and "task" in options:
        raise ValueError(f"give the task once: 'minedojo:{spec}' or task={options['task']!r}")
    task = spec or options.pop("task", "open-ended")
    if task != "open-ended":
        from agentkit_minedojo.metadata import load_metadata

        known = load_metadata().task_specs
        if task not in known and task.lower() not in {"harvest", "combat", "techtree", "survival"}:
            import difflib

            close = difflib.get_close_matches(task, list(known), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ValueError(f"unknown MineDojo task {task!r}{hint}")
    return MineDojoEnvironment(task=task, **options)


@hookimpl
def register_environments(register: Callable[..., None]) -> None:
    register(
        "minedojo",
        make_minedojo,
        description="MineDojo Minecraft (needs its Java simulator); text view, MultiDiscrete "
        "codec and structured actions (mine, craft, equip, place, look_at, ...)",
    )
