"""Seeds in parallel on a real local Ray: the same results as one after another."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agentkit.bench.crafter import BenchConfig, run_crafter_bench
from agentkit.runs.parallel import map_seeds


def test_sequential_map_keeps_the_seed_order_and_reports_each_seed() -> None:
    heard: list[tuple[int, int]] = []
    rows = map_seeds(
        lambda s: [{"seed": s}, {"seed": s}], [3, 1], on_seed=lambda *a: heard.append(a)
    )
    assert [r["seed"] for r in rows] == [3, 3, 1, 1] and heard == [(3, 1), (1, 2)]
    with pytest.raises(ValueError, match="at least 1"):
        map_seeds(lambda s: [], [0], workers=0)


@pytest.mark.slow
def test_random_agent_seeds_on_two_ray_workers_match_the_sequential_run(tmp_path: Path) -> None:
    config = BenchConfig(agent="random", seeds=[0, 1, 2], episodes=2, max_steps=200)
    alone = run_crafter_bench(config, tmp_path / "alone")
    config.workers = 2
    parallel = run_crafter_bench(config, tmp_path / "ray")
    keys = ("seed", "episode", "achievements", "length", "reward")
    assert [{k: e[k] for k in keys} for e in parallel["episodes"]] == [
        {k: e[k] for k in keys} for e in alone["episodes"]
    ]
    assert parallel["workers"] == {"count": 2, "ray_address": None}
    assert alone["workers"]["count"] == 1


@pytest.mark.slow
def test_parallel_seeds_run_in_ray_worker_processes() -> None:
    rows = map_seeds(lambda seed: [{"seed": seed, "pid": os.getpid()}], [0, 1, 2, 3], workers=2)
    assert [row["seed"] for row in rows] == [0, 1, 2, 3]
    assert os.getpid() not in {row["pid"] for row in rows}  # not run here one by one
