"""What the run records say about the sandbox: per program step, and summed for a run.

Every step that ran a program or a skill carries ``sandbox``: the layers that took effect
(``layers``), the ones that could not (``missing``, layer -> why) and ``opted_out`` when the
user ran programs without a required layer.  The run's summary adds them up, so a reader of
summary.json sees at once whether every program was confined, and how.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from agentkit.steps import StepRecord, as_step

__all__ = ["step_sandbox", "summarise", "summarise_trajectory"]


def step_sandbox(isolation: dict[str, Any] | None) -> dict[str, Any]:
    """The ``sandbox`` field of one program step, from ``ProgramResult.isolation``."""
    isolation = isolation or {}
    return {
        "layers": list(isolation.get("layers", [])),
        "missing": dict(isolation.get("missing", {})),
        "opted_out": bool(isolation.get("opted_out")),
    }


def summarise(records: Iterable[StepRecord | dict[str, Any]]) -> dict[str, Any]:
    """``{"program_steps", "layers" (applied to every one), "missing", "opted_out"}`` over
    step records (or trajectory lines)."""
    typed = (as_step(record).outcome.sandbox for record in records)
    steps = [sandbox for sandbox in typed if sandbox is not None]
    if not steps:
        return {"program_steps": 0, "layers": [], "missing": {}, "opted_out": False}
    common = set(steps[0].get("layers", []))
    missing: dict[str, str] = {}
    for step in steps:
        common &= set(step.get("layers", []))
        missing.update(step.get("missing", {}))
    return {
        "program_steps": len(steps),
        "layers": [layer for layer in steps[0].get("layers", []) if layer in common],
        "missing": missing,
        "opted_out": any(step.get("opted_out") for step in steps),
    }


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        return
    for line in path.read_text().splitlines():
        try:
            yield json.loads(line)
        except json.JSONDecodeError:
            continue  # a torn last line from a kill


def summarise_trajectory(path: Path) -> dict[str, Any]:
    """:func:`summarise` over a trajectory.jsonl file (missing: no program steps)."""
    return summarise(_lines(path))
