"""The Minecraft tech tree as a benchmark: steps, LLM calls and wall time to each milestone.

Two loops, on the bundled test server, with the model you name (the embedded SmolLM2 by
default):

- ``--loop run``: one ``agentkit run minecraft --task "craft a <tool>"`` per target and seed.
  A milestone is "reached" at the first agent step after which the world's check holds (the
  environment's ``milestones`` metric).
- ``--loop learn``: one ``agentkit learn minecraft`` per seed (the curriculum of ``--tasks``
  hands out the tech tree's tasks, skills are learned and recalled), Voyager's own setting.
  A milestone is reached in the first task attempt (iteration) after which it holds.

LLM calls and wall time are counted from the run's start. Voyager's GPT-4 figures (prompting
iterations, its paper's Table 1) are printed beside ours.

    .venv/bin/python environments/agentkit-minecraft/bench_techtree.py \\
        --targets wooden_pickaxe,stone_pickaxe,iron_pickaxe --max-steps 40 --seeds 0
    .venv/bin/python environments/agentkit-minecraft/bench_techtree.py \\
        --loop learn --tasks suite --iterations 20 --task-steps 5 --seeds 0
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from agentkit.learning import LearnConfig, start_learning
from agentkit.runner import RunConfig, start_run

VOYAGER_GPT4 = {"wooden tool": "6 ± 2", "stone tool": "11 ± 2", "iron tool": "21 ± 7"}
# Our tech-tree tasks in the order they are reached, and Voyager's row they correspond to.
MILESTONES = (
    ("mine a log", None),
    ("craft planks", None),
    ("craft a crafting table", None),
    ("craft sticks", None),
    ("craft a wooden pickaxe", "wooden tool"),
    ("mine cobblestone", None),
    ("craft a stone pickaxe", "stone tool"),
    ("craft a furnace", None),
    ("mine iron ore", None),
    ("smelt an iron ingot", None),
    ("craft an iron pickaxe", "iron tool"),
)


def run_one(target: str, seed: int, max_steps: int, model: str, home: Path) -> dict[str, Any]:
    """One run towards ``target``; per milestone: the step, LLM calls and seconds to it."""
    started = time.perf_counter()
    at_step: dict[int, tuple[int, float]] = {}

    def progress(_episode: int, record: dict[str, Any]) -> None:
        at_step[record["step"]] = (record["llm_calls"], time.perf_counter() - started)

    words = target.replace("_", " ")
    task = f"craft {'an' if words[0] in 'aeiou' else 'a'} {words}"
    config = RunConfig(env="minecraft", task=task, model=model, max_steps=max_steps, seed=seed)
    result = start_run(config, home=home, progress=progress)
    episode = result.summary["episodes"]["0"]
    reached = {}
    for name, step in (episode["env"].get("milestones") or {}).items():
        calls, wall = at_step.get(step, (0, 0.0))  # step 0: held from the start
        reached[name] = {"step": step, "llm_calls": calls, "wall_s": round(wall, 1)}
    return {
        "loop": "run",
        "target": target,
        "task": task,
        "seed": seed,
        "success": episode["success"],
        "steps": episode["steps"],
        "llm_calls": result.summary["llm_calls"],
        "wall_s": result.summary["wall_s"],
        "milestones": reached,
        "folder": str(result.folder),
    }


def learn_one(seed: int, args: Any, home: Path) -> dict[str, Any]:
    """One lifelong run; per milestone: the iteration, agent steps, LLM calls and seconds."""
    started = time.perf_counter()
    totals = {"steps": 0, "llm_calls": 0}
    reached: dict[str, dict[str, Any]] = {}
    attempts: list[dict[str, Any]] = []

    def progress(kind: str, record: dict[str, Any]) -> None:
        if kind != "task":
            return
        totals["steps"] += int(record.get("steps", 0))
        totals["llm_calls"] += int(record.get("llm_calls", 0))
        keys = ("iteration", "task", "truth", "steps", "llm_calls")
        attempts.append({k: record.get(k) for k in keys})
        for name in (record.get("env") or {}).get("milestones") or {}:
            reached.setdefault(
                name,
                {
                    "iteration": int(record["iteration"]) + 1,
                    "step": totals["steps"],
                    "llm_calls": totals["llm_calls"],
                    "wall_s": round(time.perf_counter() - started, 1),
                },
            )

    config = LearnConfig(
        env="minecraft",
        tasks=args.tasks,
        iterations=args.iterations,
        task_steps=args.task_steps,
        model=args.model,
        seed=seed,
        memory=str(home),
    )
    result = start_learning(config, home=home, progress=progress)
    return {
        "loop": "learn",
        "tasks": args.tasks,
        "seed": seed,
        "iterations": len(attempts),
        "attempts": attempts,
        "llm_calls": result.summary.get("llm_calls", totals["llm_calls"]),
        "wall_s": round(time.perf_counter() - started, 1),
        "milestones": reached,
        "folder": str(result.folder),
    }


def summarise(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per milestone over all runs: how many reached it and the mean cost to get there."""
    rows = []
    for name, voyager in MILESTONES:
        hits = [r["milestones"][name] for r in runs if name in r["milestones"]]

        def mean(key: str, hits: list[dict[str, Any]] = hits) -> float | None:
            return round(statistics.mean(h[key] for h in hits), 1) if hits else None

        rows.append(
            {
                "milestone": name,
                "reached": f"{len(hits)}/{len(runs)}",
                "iterations": mean("iteration") if hits and "iteration" in hits[0] else None,
                "steps": mean("step"),
                "llm_calls": mean("llm_calls"),
                "wall_s": mean("wall_s"),
                "voyager_gpt4_iterations": VOYAGER_GPT4.get(voyager or "", ""),
            }
        )
    return rows


def markdown(rows: list[dict[str, Any]], runs: list[dict[str, Any]], args: Any) -> str:
    if args.loop == "learn":
        what = (
            f"`agentkit learn minecraft --tasks {args.tasks}`, {args.iterations} task "
            f"attempts of at most {args.task_steps} agent steps"
        )
    else:
        what = (
            f"`agentkit run`, targets {args.targets}, at most {args.max_steps} agent steps per run"
        )
    head = (
        f"Model `{args.model}`, {what}, seeds {args.seeds} ({len(runs)} runs).\n\n"
        "| milestone | reached | iterations | agent steps | LLM calls | wall s "
        "| Voyager GPT-4 iterations |\n"
        "|---|---|---|---|---|---|---|\n"
    )

    def cell(value: Any) -> str:
        return "-" if value is None else str(value)

    body = "".join(
        f"| {r['milestone']} | {r['reached']} | {cell(r['iterations'])} | {cell(r['steps'])} "
        f"| {cell(r['llm_calls'])} "
        f"| {cell(r['wall_s'])} | {r['voyager_gpt4_iterations']} |\n"
        for r in rows
    )
    return head + body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loop", choices=("run", "learn"), default="run")
    parser.add_argument("--targets", default="wooden_pickaxe,stone_pickaxe,iron_pickaxe")
    parser.add_argument("--tasks", default="auto", help="learn: auto, suite or random")
    parser.add_argument("--iterations", type=int, default=20, help="learn: task attempts")
    parser.add_argument("--task-steps", type=int, default=5, help="learn: steps per attempt")
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--max-steps", type=int, default=40)
    parser.add_argument("--model", default="local")
    parser.add_argument("--out", type=Path, default=None, help="Folder for results.{json,md}")
    parser.add_argument(
        "--home", type=Path, default=None, help="Keep the runs (replays, trajectories) here"
    )
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    runs = []
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(args.home or scratch)
        targets = [target.strip() for target in args.targets.split(",")]
        jobs = (
            [
                (f"learn seed {seed}", partial(learn_one, seed, args, home / f"learn-{seed}"))
                for seed in seeds
            ]
            if args.loop == "learn"
            else [
                (
                    f"{target} seed {seed}",
                    partial(run_one, target, seed, args.max_steps, args.model, home),
                )
                for target in targets
                for seed in seeds
            ]
        )
        for label, job in jobs:
            run = job()
            done = f"success={run['success']}, " if "success" in run else ""
            print(f"{label}: {done}milestones={list(run['milestones'])}", flush=True)
            if args.home is None:
                run.pop("folder")
            runs.append(run)
    rows = summarise(runs)
    text = markdown(rows, runs, args)
    print(text)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "results.json").write_text(json.dumps({"rows": rows, "runs": runs}, indent=1))
        (args.out / "results.md").write_text(text)


if __name__ == "__main__":
    main()
