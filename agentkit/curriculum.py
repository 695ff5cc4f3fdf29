"""Where the next task comes from: a user's list, the world's suite, or the agent itself.

``make_curriculum("auto" | "suite" | "random" | PATH)``. The automatic curriculum is
Voyager's: the controller proposes the next task from what was completed and what failed,
with a warm-up that widens the choice as tasks are completed. Its proposals are restricted
to tasks the world can check (the environment's suite), because a proposal nobody can
verify teaches nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from agentkit.controller import CallStats, Controller

__all__ = [
    "AutoCurriculum",
    "Curriculum",
    "CurriculumError",
    "ListCurriculum",
    "RandomCurriculum",
    "make_curriculum",
]

MAX_ATTEMPTS = 3


class CurriculumError(ValueError):
    """A curriculum that cannot be built (no task file, no suite for ``auto``)."""


class Curriculum(Protocol):
    """Chooses the next task; None ends the run early."""

    name: str

    def next_task(
        self,
        completed: Sequence[str],
        failed: Sequence[str],
        percept: str,
        controller: Controller,
        iteration: int,
    ) -> tuple[str | None, CallStats | None]: ...


def _open_tasks(
    tasks: Sequence[str], completed: Sequence[str], failures: Counter[str]
) -> list[str]:
    """Tasks not yet completed and not yet given up on (failed ``MAX_ATTEMPTS`` times)."""
    return [t for t in tasks if t not in completed and failures[t] < MAX_ATTEMPTS]


@dataclass
class ListCurriculum:
    """Tasks in the given order; a failed task is retried later, up to ``MAX_ATTEMPTS``."""

    tasks: list[str]
    name: str = "list"

    def next_task(
        self,
        completed: Sequence[str],
        failed: Sequence[str],
        percept: str,
        controller: Controller,
        iteration: int,
    ) -> tuple[str | None, CallStats | None]:
        failures = Counter(failed)
        remaining = _open_tasks(self.tasks, completed, failures)
        if not remaining:
            return None, None
        # Fewest failures first, then list order: move on before retrying.
        return min(remaining, key=lambda t: (failures[t], self.tasks.index(t))), None


@dataclass
class RandomCurriculum:
    """An ablation: the next task drawn at random from the open tasks of the suite."""

    tasks: list[str]
    seed: int = 0
    name: str = "random"

    def next_task(
        self,
        completed: Sequence[str],
        failed: Sequence[str],
        percept: str,
        controller: Controller,
        iteration: int,
    ) -> tuple[str | None, CallStats | None]:
        remaining = _open_tasks(self.tasks, completed, Counter(failed))
        if not remaining:
            return None, None
        # Seeded by iteration, so a resumed run draws the same task again.
        return random.Random(self.seed * 100_003 + iteration).choice(remaining), None


@dataclass
class AutoCurriculum:
    """Voyager's automatic curriculum over a suite ordered easiest first.

    Warm-up: the controller chooses among the first ``window + completed`` open tasks, so
    early on it sees only easy ones and the choice widens as it succeeds. Among those, only
    the tasks failed fewest times are offered: the agent moves on before it retries (the
    1.5B model proposed the task it had just failed again and again, three attempts at
    iron in ten, while easier tasks in the window stayed untried).
    """

    tasks: list[str]
    window: int = 3
    name: str = "auto"

    def next_task(
        self,
        completed: Sequence[str],
        failed: Sequence[str],
        percept: str,
        controller: Controller,
        iteration: int,
    ) -> tuple[str | None, CallStats | None]:
        failures = Counter(failed)
        remaining = _open_tasks(self.tasks, completed, failures)
        if not remaining:
            return None, None
        window = remaining[: self.window + len(completed)]
        fewest = min(failures[t] for t in window)
        candidates = [t for t in window if failures[t] == fewest]
        if len(candidates) == 1:
            return candidates[0], None
        proposal, stats, _ = controller.next_task(candidates, completed, failed, percept)
        return proposal.task, stats


def make_curriculum(spec: str, suite: Sequence[str], *, seed: int = 0) -> Any:
    """``auto``, ``suite`` (the world's tasks in order), ``random`` or a task file path."""
    if spec in ("auto", "suite", "random"):
        if not suite:
            raise CurriculumError(
                f"--tasks {spec} needs an environment with a task suite (Environment.tasks());"
                " give a task file instead: --tasks tasks.txt (one task per line)"
            )
        if spec == "auto":
            return AutoCurriculum(list(suite))
        if spec == "random":
            return RandomCurriculum(list(suite), seed=seed)
        return ListCurriculum(list(suite), name="suite")
    path = Path(spec)
    if not path.is_file():
        raise CurriculumError(f"no task file {spec!r}; use auto, suite, random or a file path")
    tasks = [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not tasks:
        raise CurriculumError(f"task file {spec!r} holds no tasks (one per line, # comments)")
    return ListCurriculum(tasks)
