"""Assemble ``results.json`` for a Crafter bench run stopped before every episode ended.

``agentkit bench crafter`` writes its results when all seeds are done. A run stopped by
hand (here: one episode still alive after hours of the session's time) leaves each seed's
``run.json`` (finished episodes) and ``trajectory.jsonl`` (every step). This rebuilds the
episodes from those, marks the unfinished ones ``cut`` with the world step they reached,
and aggregates them with the bench's own code. An unfinished episode counts only what it
unlocked up to the cut: nothing is extrapolated.

    python docs/benchmarks/crafter_assemble_cut.py RUN_DIR TEMPLATE_RESULTS_JSON DATE

TEMPLATE_RESULTS_JSON: a finished run's results.json with the same command (protocol,
model, machine); its figures are replaced, DATE says when the stopped run ran.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from agentkit.bench.crafter import aggregate


def episode(folder: Path, seed: int) -> dict:
    rows = [json.loads(line) for line in (folder / "trajectory.jsonl").read_text().splitlines()]
    summary = json.loads((folder / "run.json").read_text())["episodes"].get("0", {})
    if summary.get("finished"):
        llm = summary["llm"]["decide"]
        return {
            "seed": seed,
            "episode": 0,
            "achievements": summary["env"]["achievements"],
            "reward": summary["reward"],
            "length": summary["env_steps"],
            "controller_steps": summary["steps"],
            "llm_calls": llm["calls"],
            "llm_tokens": llm["prompt_tokens"] + llm["completion_tokens"],
            "fallbacks": llm["fallbacks"],
            "wall_s": summary["wall_s"],
        }
    unlocked = sorted(
        {e[len("unlocked ") :] for r in rows for e in r["events"] if e.startswith("unlocked ")}
    )
    return {
        "seed": seed,
        "episode": 0,
        "achievements": unlocked,
        "reward": round(sum(r["reward"] for r in rows), 3),
        "length": rows[-1]["env_steps"],
        "controller_steps": len(rows),
        "llm_calls": sum(1 for r in rows if not r["fallback"]),
        "llm_tokens": 0,  # not in the trajectory; tokens_per_step is undercounted for cut runs
        "fallbacks": sum(1 for r in rows if r["fallback"]),
        "wall_s": 0.0,
        "cut": {"at_world_step": rows[-1]["env_steps"], "alive": not rows[-1]["done"]},
    }


def main(run: Path, template: Path, date: str) -> None:
    seeds = sorted(int(p.name[4:]) for p in (run / "runs").glob("seed*"))
    episodes = [episode(run / "runs" / f"seed{s}", s) for s in seeds]
    results = json.loads(template.read_text())
    results.update(aggregate(episodes, seeds))
    results.update(
        seeds=seeds,
        episodes=episodes,
        wall_s=None,
        date=date,
        cut=[e["seed"] for e in episodes if "cut" in e],
    )
    (run / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({s: v["crafter_score"] for s, v in results["per_seed"].items()}))
    overall = results["overall"]
    print(
        overall["crafter_score"],
        overall["crafter_score_seed_mean"],
        overall["crafter_score_seed_std"],
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
