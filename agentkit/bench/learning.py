"""``agentkit bench learning``: the lifelong run and its ablations, side by side.

Five conditions, each a full ``agentkit learn`` run with its own fresh memory, the same
world seed, model and budget: ``full`` (automatic curriculum, skill library, critic),
``no-skills`` (skill library off), ``no-direct-reuse`` (skills only offered to the model
as choices, never run directly), ``no-critic`` (no self-verification: every attempt is
accepted) and ``random-curriculum`` (tasks drawn at random from the suite). Completion is
always judged by the world's own check, whatever the agent believed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from agentkit.runs.lifelong import LearnConfig, plot_learning_curves, start_learning

__all__ = ["CONDITIONS", "learning_markdown", "run_learning_bench"]

CONDITIONS: dict[str, dict[str, Any]] = {
    "full": {},
    "no-skills": {"skills": False},
    "no-direct-reuse": {"direct_reuse": False},
    "no-critic": {"critic": False},
    "random-curriculum": {"tasks": "random"},
}
Progress = Callable[[str, str, dict[str, Any]], None]


def run_learning_bench(
    base: LearnConfig,
    out: Path,
    *,
    conditions: list[str] | None = None,
    progress: Progress | None = None,
    model: Any = None,
    embedder: Any = None,
    passes: int = 1,
) -> dict[str, dict[str, Any]]:
    """Run each condition under ``out/<condition>/`` and write the table and the curves.

    With ``passes`` > 1 each condition runs again in a fresh world with the memory the
    earlier passes built (Voyager's reuse of a library in a new world); the later passes
    are reported as ``<condition> pass <n>`` beside the first.
    """
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, Any]] = {}
    for name in conditions or list(CONDITIONS):
        if name not in CONDITIONS:
            raise ValueError(f"unknown condition {name!r}; choose from {list(CONDITIONS)}")
        home = out / name
        config = replace(base, memory=str(home), **CONDITIONS[name])

        def report(kind: str, record: dict[str, Any], _name: str = name) -> None:
            if progress is not None:
                progress(_name, kind, record)

        for index in range(passes):
            label = name if index == 0 else f"{name} pass {index + 1}"
            result = start_learning(
                config, home=home, progress=report, model=model, embedder=embedder
            )
            results[label] = {**result.summary, "run_folder": str(result.folder)}
            (out / "results.json").write_text(json.dumps(results, indent=2, default=str))
    plot_learning_curves(results, out / "learning_curves.png")
    (out / "results.md").write_text(learning_markdown(results, base))
    return results


def learning_markdown(results: dict[str, dict[str, Any]], base: LearnConfig) -> str:
    """The ablation table, with the command that reruns it."""
    lines = [
        f"Environment `{base.env}` ({', '.join(f'{k}={v}' for k, v in base.env_options.items())}),"
        f" model `{base.model}`, mode `{base.mode}`, {base.iterations} iterations of at most"
        f" {base.task_steps} agent steps, seed {base.seed}; the world's rules as knowledge:"
        f" {'yes' if base.knowledge else 'no'}; skills: per condition.",
        "",
        "| condition | tasks completed | achievements | LLM calls | LLM calls per completed"
        " task | the same without the curriculum's | accepted but not done | skills learned |"
        " wall (s) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in results.items():
        lines.append(
            f"| {name} | {s['tasks_completed']} | {s['achievement_count']} | {s['llm_calls']} | "
            f"{_figure(s['llm_calls_per_completed_task'])} | "
            f"{_figure(s.get('working_calls_per_completed_task'))} | {s['wrongly_accepted']} | "
            f"{_skill_count(s)} | {s['wall_s']} |"
        )
    lines.append("")
    for name, s in results.items():
        lines.append(f"- {name}: completed {', '.join(s['completed']) or 'nothing'}")
    return "\n".join(lines) + "\n"


def _skill_count(summary: dict[str, Any]) -> str:
    """Skills learned from tasks, and from goals reached on the way to them (if any)."""
    tasks = len(summary["skills_learned"])
    on_the_way = len(summary.get("skills_learned_on_the_way", []))
    return f"{tasks} (+{on_the_way} on the way)" if on_the_way else str(tasks)


def _figure(value: float | None) -> str:
    """A per-task cost for the table: ``-`` when no task was completed (0 is a figure)."""
    return "-" if value is None else str(value)
