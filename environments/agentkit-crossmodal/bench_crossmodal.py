"""Success rate in the crossmodal hall with and without each perceiver.

The goal is only on the sign and the password only spoken, so removing the ``ocr`` or the
``asr`` perceiver should drop any agent to chance on that half of the task. Each condition
selects plugins the way a user would, with ``AGENTKIT_LOAD_PLUGINS``, and runs the same
seeds (0..N-1) through ``start_run``: once with the chat model under test (by default the
embedded SmolLM2 via llama.cpp) and once with the scripted percept reader, the upper bound
that shows what the perceivers' text carries.

    .venv/bin/python environments/agentkit-crossmodal/bench_crossmodal.py --episodes 20
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentkit import RunConfig, load_plugins, start_run
from agentkit.models import resolve_model
from agentkit.testing import ScriptedChatModel

from agentkit_crossmodal import DOORS, TASK_OPEN, WORDS
from agentkit_crossmodal.agent import percept_reader_reply

__all__ = ["CONDITIONS", "Condition", "main", "run_condition"]


@dataclass(frozen=True)
class Condition:
    label: str
    plugins: str
    """Plugins besides ``crossmodal`` and ``llamacpp`` (which registers only models)."""
    chance: float
    """The best success rate without the information the missing perceivers carry."""


CONDITIONS = (
    Condition("OCR + ASR", "vision,audio", 1.0),
    Condition("ASR only (OCR removed)", "audio", 1 / len(DOORS)),
    Condition("OCR only (ASR removed)", "vision", 1 / len(WORDS)),
    Condition("neither", "", 1 / (len(DOORS) * len(WORDS))),
)


def run_condition(
    condition: Condition, model: Any, episodes: int, max_steps: int, home: Path
) -> dict[str, Any]:
    """Run ``episodes`` seeds under one plugin selection; return the counts and timings."""
    os.environ["AGENTKIT_LOAD_PLUGINS"] = ",".join(
        p for p in ("crossmodal", "llamacpp", condition.plugins) if p
    )
    registry = load_plugins()
    names = sorted(getattr(p, "name", "?") for p in registry.perceivers)
    config = RunConfig(
        env="crossmodal", task=TASK_OPEN, max_steps=max_steps, episodes=episodes, seed=0
    )
    started = time.perf_counter()
    result = start_run(config, home=home, registry=registry, model=model)
    wall = time.perf_counter() - started
    per_episode = [result.summary["episodes"][str(i)] for i in range(episodes)]
    return {
        "condition": condition.label,
        "chance": condition.chance,
        "perceivers": names,
        "successes": sum(bool(e.get("success")) for e in per_episode),
        "unlocked": sum(bool(e.get("env", {}).get("unlocked")) for e in per_episode),
        "episodes": episodes,
        "wall_s": round(wall, 1),
        "run": str(result.folder),
    }


def _rate(k: int, n: int) -> str:
    return f"{k}/{n} ({100 * k / n:.0f} %)"


def _chance(rate: float) -> str:
    return "100 % (nothing missing)" if rate >= 1 else f"{100 * rate:.2f} %"


def table(rows: list[tuple[dict[str, Any], dict[str, Any]]], model_name: str) -> str:
    """The markdown table: success (and right password) per condition and agent."""
    lines = [
        f"| perceivers | {model_name}: success | {model_name}: right password | "
        "scripted reader: success | best possible by guessing |",
        "|---|---|---|---|---|",
    ]
    for model_row, scripted_row in rows:
        n = model_row["episodes"]
        lines.append(
            f"| {model_row['condition']} ({', '.join(model_row['perceivers']) or 'none'}) | "
            f"{_rate(model_row['successes'], n)} | {_rate(model_row['unlocked'], n)} | "
            f"{_rate(scripted_row['successes'], n)} | {_chance(model_row['chance'])} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=20, help="seeds 0..N-1 (default 20)")
    parser.add_argument("--model", default="local", help="chat model (default: local SmolLM2)")
    parser.add_argument("--max-steps", type=int, default=4, help="controller steps per episode")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "results" / "crossmodal.md",
        help="markdown results file (a .json with the raw numbers is written beside it)",
    )
    parser.add_argument("--home", type=Path, default=None, help="run folders (default: temp)")
    args = parser.parse_args(argv)
    # The vision plugin also registers clip (open_clip weights); this bench is about text.
    os.environ.setdefault("AGENTKIT_VISION_PERCEIVERS", "ocr")
    home = args.home or Path(tempfile.mkdtemp(prefix="agentkit-crossmodal-bench-"))

    os.environ["AGENTKIT_LOAD_PLUGINS"] = "crossmodal,llamacpp"
    model = resolve_model(args.model, load_plugins())
    rows = []
    for condition in CONDITIONS:
        measured = run_condition(condition, model, args.episodes, args.max_steps, home)
        scripted = run_condition(
            condition,
            ScriptedChatModel(default=percept_reader_reply),
            args.episodes,
            args.max_steps,
            home,
        )
        print(json.dumps({"model": measured, "scripted": scripted}), file=sys.stderr, flush=True)
        rows.append((measured, scripted))

    markdown = table(rows, args.model)
    command = "python environments/agentkit-crossmodal/bench_crossmodal.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    print(markdown)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(f"`{command.strip()}`\n\n{markdown}\n")
    raw = [{"model": m, "scripted": s} for m, s in rows]
    args.out.with_suffix(".json").write_text(json.dumps(raw, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
