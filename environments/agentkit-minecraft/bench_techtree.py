"""The Minecraft tech tree as a benchmark: steps, LLM calls and wall time to each milestone.

Two loops, on the bundled test server, with the model you name (the embedded SmolLM2 by
default; ``--model qwen2.5-coder-1.5b`` for the Qwen coder), with the world's rules
(``--knowledge``, the default: the decomposer plans from minecraft-data's recipes and drops,
the model chooses among the steps possible now) or without (``--no-knowledge``):

- ``--loop run``: one ``agentkit run minecraft --task "craft a <tool>"`` per target and seed.
  A milestone is "reached" at the first agent step after which the world's check holds (the
  environment's ``milestones`` metric).
- ``--loop learn``: one ``agentkit learn minecraft`` per seed (the curriculum of ``--tasks``
  hands out the tech tree's tasks, skills are learned and recalled), Voyager's own setting.
  A milestone is reached in the first task attempt (iteration) after which it holds.
  ``--mode code``: the model writes JavaScript programs over the primitives and skills.
  ``--no-skills`` runs without the skill library.

LLM calls and wall time are counted from the run's start. Voyager's GPT-4 figures (prompting
iterations, its paper's Table 1) are printed beside ours. A run stops at its step or
iteration budget, at ``--max-wall-s``, or (learn) once the last target is reached; a run that
stopped before its last target is marked **capped** with what capped it, never extrapolated.
The results (``--out``) record the command, the machine, the date and what the agent had
(knowledge, skills, mode).

    .venv/bin/python environments/agentkit-minecraft/bench_techtree.py \\
        --targets wooden_pickaxe,stone_pickaxe,iron_pickaxe --max-steps 40 --seeds 0
    .venv/bin/python environments/agentkit-minecraft/bench_techtree.py \\
        --loop learn --tasks suite --iterations 20 --task-steps 5 --seeds 0
    .venv/bin/python environments/agentkit-minecraft/bench_techtree.py \\
        --model qwen2.5-coder-1.5b --loop learn --mode code --iterations 20 --seeds 0
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from agentkit.runs.lifelong import LearnConfig, start_learning
from agentkit.runs.single import RunConfig, start_run

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


class WallCap(Exception):
    """The run used up ``--max-wall-s``; raised from the progress callback to stop it."""


def _milestones_in(record: Mapping[str, Any]) -> list[str]:
    """Tech-tree tasks a step reached for the first time (the world's milestone events)."""
    return [str(event).removeprefix("milestone: ") for event in record.get("events") or []
            if str(event).startswith("milestone: ")]


def run_one(target: str, seed: int, args: Any, home: Path) -> dict[str, Any]:
    """One run towards ``target``; per milestone: the step, LLM calls and seconds to it."""
    started = time.perf_counter()
    at_step: dict[int, tuple[int, float]] = {}
    calls = {"total": 0}
    reached: dict[str, dict[str, Any]] = {}
    cap = getattr(args, "max_wall_s", None)

    def progress(_episode: int, record: dict[str, Any]) -> None:
        # a trajectory record carries the episode's running total of LLM calls
        calls["total"] = max(calls["total"], int(record.get("llm_calls", 0)))
        wall = time.perf_counter() - started
        at_step[record["step"]] = (calls["total"], wall)
        for name in _milestones_in(record):
            reached.setdefault(name, {"step": int(record["step"]), "llm_calls": calls["total"],
                                      "wall_s": round(wall, 1)})
        if cap and wall > cap:
            raise WallCap(f"capped at {cap:g} s wall time")

    words = target.replace("_", " ")
    task = f"craft {'an' if words[0] in 'aeiou' else 'a'} {words}"
    config = RunConfig(env="minecraft", task=task, model=args.model, max_steps=args.max_steps,
                       seed=seed, knowledge=getattr(args, "knowledge", True))
    try:
        result = start_run(config, home=home, progress=progress)
    except WallCap as stop:
        return {
            "loop": "run", "target": target, "task": task, "seed": seed, "success": False,
            "steps": max(at_step, default=0), "llm_calls": calls["total"],
            "wall_s": round(time.perf_counter() - started, 1), "milestones": reached,
            "capped": str(stop), "folder": str(home),
        }
    episode = result.summary["episodes"]["0"]
    for name, step in (episode["env"].get("milestones") or {}).items():
        if name not in reached:  # held from the start (step 0)
            spent, wall = at_step.get(step, (0, 0.0))
            reached[name] = {"step": step, "llm_calls": spent, "wall_s": round(wall, 1)}
    capped = None if episode["success"] else f"capped at {args.max_steps} agent steps"
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
        "capped": capped,
        "folder": str(result.folder),
    }


class Finished(Exception):
    """The last target was reached: further iterations would measure nothing."""


def learn_one(seed: int, args: Any, home: Path) -> dict[str, Any]:
    """One lifelong run; per milestone: the iteration, agent steps, LLM calls and seconds."""
    started = time.perf_counter()
    totals = {"steps": 0, "llm_calls": 0}
    reached: dict[str, dict[str, Any]] = {}
    attempts: list[dict[str, Any]] = []
    cap = getattr(args, "max_wall_s", None)
    last = getattr(args, "stop_at", None)

    def progress(kind: str, record: dict[str, Any]) -> None:
        if kind != "task":
            if cap and time.perf_counter() - started > cap:
                raise WallCap(f"capped at {cap:g} s wall time, in iteration {len(attempts) + 1}")
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
        if last and last in reached:
            raise Finished(last)

    config = LearnConfig(
        env="minecraft",
        tasks=args.tasks,
        iterations=args.iterations,
        task_steps=args.task_steps,
        model=args.model,
        seed=seed,
        memory=str(home),
        mode=getattr(args, "mode", "select"),
        knowledge=getattr(args, "knowledge", True),
        skills=getattr(args, "skills", True),
    )
    capped: str | None = None
    llm_calls = totals["llm_calls"]
    folder = str(home)
    try:
        result = start_learning(config, home=home, progress=progress)
        llm_calls = result.summary.get("llm_calls", totals["llm_calls"])
        folder = str(result.folder)
    except Finished:
        llm_calls = totals["llm_calls"]
    except WallCap as stop:
        capped, llm_calls = str(stop), totals["llm_calls"]
    if capped is None and last and last not in reached:
        capped = f"capped at {args.iterations} iterations"
    return {
        "loop": "learn",
        "tasks": args.tasks,
        "mode": config.mode,
        "seed": seed,
        "iterations": len(attempts),
        "attempts": attempts,
        "llm_calls": llm_calls,
        "wall_s": round(time.perf_counter() - started, 1),
        "milestones": reached,
        "capped": capped,
        "folder": folder,
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


def setting(args: Any) -> dict[str, Any]:
    """What the agent had and how it ran: for the results' header."""
    learn = getattr(args, "loop", "run") == "learn"
    return {
        "model": args.model,
        "loop": getattr(args, "loop", "run"),
        "mode": getattr(args, "mode", "select") if learn else "select",
        "knowledge": getattr(args, "knowledge", True),
        "skills": getattr(args, "skills", True) if learn else False,
        "max_wall_s": getattr(args, "max_wall_s", None),
    }


def machine() -> dict[str, Any]:
    """Where it ran: CPU model and count, OS, Python, date."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cpu": cpu,
        "load_avg_1_5_15_min_at_end": load,
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


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
    had = setting(args)
    flags = (
        f"mode {had['mode']}, knowledge {'on' if had['knowledge'] else 'off'}, "
        f"skills {'on' if had['skills'] else 'off'}"
    )
    capped = [r for r in runs if r.get("capped")]
    note = "".join(
        f"\n- **capped**: {r['target'] + ' ' if r.get('target') else ''}seed {r['seed']}: "
        f"{r['capped']}" for r in capped
    )
    head = (
        f"Model `{args.model}`, {what}, seeds {args.seeds} ({len(runs)} runs); {flags}."
        f"{note}\n\n"
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
    parser.add_argument("--mode", choices=("select", "code"), default="select",
                        help="learn: choose among steps, or write JavaScript programs")
    parser.add_argument("--knowledge", action=argparse.BooleanOptionalAction, default=True,
                        help="plan from minecraft-data's rules (off: the ablation)")
    parser.add_argument("--skills", action=argparse.BooleanOptionalAction, default=True,
                        help="learn: keep and recall skills")
    parser.add_argument("--max-wall-s", type=float, default=None,
                        help="stop a run after this many seconds (marked capped)")
    parser.add_argument("--stop-at", default=MILESTONES[-1][0],
                        help="learn: end the run once this milestone is reached")
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
                (f"{target} seed {seed}", partial(run_one, target, seed, args, home))
                for target in targets
                for seed in seeds
            ]
        )
        for label, job in jobs:
            run = job()
            done = f"success={run['success']}, " if "success" in run else ""
            capped = f" ({run['capped']})" if run.get("capped") else ""
            print(f"{label}: {done}milestones={list(run['milestones'])}{capped}", flush=True)
            if args.home is None:
                run.pop("folder")
            runs.append(run)
    rows = summarise(runs)
    command = "python environments/agentkit-minecraft/bench_techtree.py " + shlex.join(
        sys.argv[1:])
    where = machine()
    text = markdown(rows, runs, args) + (
        f"\n`{command}`; {where['cpu']}, {where['cpus_usable']} usable cores, "
        f"{where['system']}, load average {where['load_avg_1_5_15_min_at_end']} at the end "
        f"(other work shared the cores), {where['date']}.\n"
    )
    print(text)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        results = {"command": command, "machine": where, "setting": setting(args),
                   "rows": rows, "runs": runs}
        (args.out / "results.json").write_text(json.dumps(results, indent=1))
        (args.out / "results.md").write_text(text)


if __name__ == "__main__":
    main()
