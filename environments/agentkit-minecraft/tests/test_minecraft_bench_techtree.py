"""bench_techtree.py's bookkeeping: when a milestone counts as reached, and the table."""

from __future__ import annotations

import importlib.util
import json
import types
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "bench_techtree.py"


@pytest.fixture(scope="module")
def bench() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("bench_techtree", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _attempt(iteration: int, task: str, steps: int, calls: int, milestones: list[str]) -> dict:
    return {
        "iteration": iteration, "task": task, "truth": task in milestones, "steps": steps,
        "llm_calls": calls, "env": {"milestones": {m: 1 for m in milestones}},
    }


def test_learn_loop_counts_iterations_steps_and_calls_up_to_each_milestone(bench, monkeypatch):
    records = [
        _attempt(0, "mine a log", 1, 2, ["mine a log"]),
        _attempt(1, "craft planks", 5, 6, ["mine a log"]),  # failed
        _attempt(2, "craft planks", 2, 3, ["mine a log", "craft planks"]),
        _attempt(3, "craft sticks", 3, 4, ["mine a log", "craft planks", "craft sticks"]),
    ]
    seen: dict[str, Any] = {}

    def fake_learning(config, *, home, progress):
        seen["config"] = config
        progress("step", {"step": 1})  # step records are not attempts
        for record in records:
            progress("task", record)
        return types.SimpleNamespace(summary={"llm_calls": 15}, folder=home / "run")

    monkeypatch.setattr(bench, "start_learning", fake_learning)
    args = types.SimpleNamespace(tasks="suite", iterations=4, task_steps=5, model="local",
                                 mode="code", knowledge=False, skills=True)
    run = bench.learn_one(0, args, Path("/tmp/nowhere"))
    assert seen["config"].env == "minecraft" and seen["config"].tasks == "suite"
    assert seen["config"].mode == "code" and seen["config"].knowledge is False
    assert run["iterations"] == 4 and run["llm_calls"] == 15 and run["capped"] is None
    reached = run["milestones"]
    assert list(reached) == ["mine a log", "craft planks", "craft sticks"]
    assert {k: reached["craft planks"][k] for k in ("iteration", "step", "llm_calls")} == {
        "iteration": 3, "step": 8, "llm_calls": 11,
    }
    assert reached["craft sticks"]["iteration"] == 4 and reached["craft sticks"]["step"] == 11

    rows = bench.summarise([run, {**run, "milestones": {"mine a log": reached["mine a log"]}}])
    by_name = {row["milestone"]: row for row in rows}
    assert by_name["mine a log"]["reached"] == "2/2" and by_name["mine a log"]["iterations"] == 1
    assert by_name["craft sticks"]["reached"] == "1/2"
    assert by_name["craft a wooden pickaxe"]["reached"] == "0/2"
    assert by_name["craft a wooden pickaxe"]["voyager_gpt4_iterations"] == "6 ± 2"
    shown = types.SimpleNamespace(loop="learn", seeds="0", **vars(args))
    text = bench.markdown(rows, [run, run], shown)
    assert "`agentkit learn minecraft --tasks suite`, 4 task attempts" in text
    assert "mode code, knowledge off, skills on." in text and "capped" not in text
    assert "| craft planks | 1/2 | 3 | 8 | 11 |" in text
    assert "| craft an iron pickaxe | 0/2 | - | - | - | - | 21 ± 7 |" in text


def test_main_runs_one_job_per_seed_or_target_and_writes_the_results(bench, monkeypatch, tmp_path):
    calls: list[tuple] = []

    def fake_run(target, seed, args, home):
        calls.append(("run", target, seed, args.max_steps))
        hit = {"step": 1, "llm_calls": 2, "wall_s": 3.0}
        return {"success": True, "milestones": {"mine a log": hit}, "folder": str(home)}

    def fake_learn(seed, args, home):
        calls.append(("learn", seed, args.iterations, home.name))
        hit = {"iteration": 1, "step": 1, "llm_calls": 2, "wall_s": 3.0}
        return {"milestones": {"mine a log": hit}, "folder": str(home)}

    monkeypatch.setattr(bench, "run_one", fake_run)
    monkeypatch.setattr(bench, "learn_one", fake_learn)
    out = tmp_path / "out"
    argv = ["bench", "--targets", "wooden_pickaxe, stone_pickaxe", "--seeds", "0,1",
            "--max-steps", "7", "--out", str(out)]
    monkeypatch.setattr("sys.argv", argv)
    bench.main()
    assert calls == [("run", "wooden_pickaxe", 0, 7), ("run", "wooden_pickaxe", 1, 7),
                     ("run", "stone_pickaxe", 0, 7), ("run", "stone_pickaxe", 1, 7)]
    saved = json.loads((out / "results.json").read_text())
    assert len(saved["runs"]) == 4 and all("folder" not in run for run in saved["runs"])
    assert saved["command"].endswith("--max-steps 7 --out " + str(out))
    assert saved["setting"] == {"model": "local", "loop": "run", "mode": "select",
                                "knowledge": True, "skills": False, "max_wall_s": None}
    assert saved["machine"]["cpus_usable"] >= 1 and saved["machine"]["date"]
    text = (out / "results.md").read_text()
    assert "| mine a log | 4/4 | - | 1 | 2 | 3.0 |" in text
    assert "mode select, knowledge on, skills off." in text and "usable cores" in text

    calls.clear()
    kept = tmp_path / "kept"
    monkeypatch.setattr("sys.argv", ["bench", "--loop", "learn", "--seeds", "3", "--iterations",
                                     "9", "--home", str(kept), "--out", str(out)])
    bench.main()
    assert calls == [("learn", 3, 9, "learn-3")]
    saved = json.loads((out / "results.json").read_text())
    assert saved["runs"][0]["folder"] == str(kept / "learn-3")  # --home keeps the runs


def test_learn_stops_at_the_last_target_and_a_cut_run_is_marked_capped(bench, monkeypatch):
    def learning(records):  # type: ignore[no-untyped-def]
        def fake(config, *, home, progress):
            for record in records:
                progress("step", {"step": 1})
                progress("task", record)
            return types.SimpleNamespace(summary={"llm_calls": 99}, folder=home / "run")
        return fake

    args = types.SimpleNamespace(tasks="suite", iterations=3, task_steps=5, model="local",
                                 stop_at="craft planks", max_wall_s=None)
    records = [_attempt(0, "mine a log", 1, 2, ["mine a log"]),
               _attempt(1, "craft planks", 1, 2, ["mine a log", "craft planks"]),
               _attempt(2, "craft sticks", 1, 2, ["craft sticks"])]
    monkeypatch.setattr(bench, "start_learning", learning(records))
    run = bench.learn_one(0, args, Path("/tmp/nowhere"))
    assert run["iterations"] == 2 and run["capped"] is None  # stopped once it was reached
    assert run["llm_calls"] == 4

    monkeypatch.setattr(bench, "start_learning", learning(records[:1]))
    run = bench.learn_one(0, args, Path("/tmp/nowhere"))
    assert run["capped"] == "capped at 3 iterations"

    args.max_wall_s = 1e-9  # the first step is already past it
    monkeypatch.setattr(bench, "start_learning", learning(records))
    run = bench.learn_one(0, args, Path("/tmp/nowhere"))
    assert run["capped"].startswith("capped at 1e-09 s wall time") and run["iterations"] == 0
    shown = types.SimpleNamespace(loop="learn", seeds="0", **vars(args))
    assert "- **capped**: seed 0: capped at" in bench.markdown([], [run], shown)


def test_run_loop_reads_the_running_total_of_llm_calls(bench, monkeypatch):
    # a trajectory record carries the episode's running total: 2, 5, 9 calls by steps 1-3
    def fake_run(config, *, home, progress):
        for step, calls in ((1, 2), (2, 5), (3, 9)):
            progress(0, {"step": step, "llm_calls": calls})
        episode = {"success": False, "steps": 3, "env": {"milestones": {"mine a log": 2}}}
        return types.SimpleNamespace(
            summary={"episodes": {"0": episode}, "llm_calls": 9, "wall_s": 1.0},
            folder=home / "run",
        )

    monkeypatch.setattr(bench, "start_run", fake_run)
    args = types.SimpleNamespace(model="local", max_steps=3, knowledge=False, max_wall_s=None)
    run = bench.run_one("iron_pickaxe", 0, args, Path("/tmp/nowhere"))
    assert run["milestones"]["mine a log"]["llm_calls"] == 5  # not 2 + 5
    assert run["llm_calls"] == 9
