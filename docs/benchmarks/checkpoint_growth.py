"""Checkpoint size per step over one long episode: does the saved state grow with the run?

One ``start_run`` episode of ``--steps`` agent steps on Taxi (``gymnasium:Taxi-v4`` with its
time limit lifted), driven by a scripted test double that only moves (no pickup, so the
episode never ends early; one world step per agent step). Afterwards the run's
``checkpoints.sqlite`` is read: for each step in ``--at``, the size of the last checkpoint
saved at or before that step (its serialized blob), how many checkpoints and bytes were
saved up to then, and the database's size at the end. It uses only what both the code
before and after issue 15 part 3 have, so the same file measures both:

    .venv/bin/python docs/benchmarks/checkpoint_growth.py --label after
    .venv/bin/python docs/benchmarks/checkpoint_growth.py --label after-node --durability node
    PYTHONPATH=/tmp/before .venv/bin/python docs/benchmarks/checkpoint_growth.py \\
        --label before     # /tmp/before: a checkout of the commit before the change

Each call adds (or replaces) its label's entry in docs/benchmarks/checkpoint_growth.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_suffix(".json")
MOVES = ["south", "north", "east", "west"]


def wander(messages: Any) -> str:
    """Plan once, then move; the move depends on the prompt's length (deterministic)."""
    text = str(messages[-1].content)
    if '"subgoals"' in text or "Break the task into" in text:
        return json.dumps({"subgoals": ["drive around"]})
    if "Was the sub-goal achieved" in text:
        return json.dumps({"success": False, "reasoning": "scripted", "critique": ""})
    return json.dumps({"action": MOVES[len(text) % 4], "argument": None, "reason": ""})


def commit_of(module: Any) -> str:
    folder = Path(module.__file__).resolve().parent.parent
    done = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "-C", str(folder), "status", "--porcelain", "agentkit"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", required=True)
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--at", default="100,1000,5000")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--durability", help="RunConfig.durability (code after the change)")
    args = parser.parse_args()
    marks = [int(x) for x in args.at.split(",")]

    import agentkit
    from agentkit import RunConfig, start_run
    from agentkit.testing import ScriptedChatModel

    config = RunConfig(
        env="gymnasium:Taxi-v4",
        task="drive around",
        max_steps=args.steps,
        seed=0,
        env_options={"max_episode_steps": args.steps * 10},
        **({"durability": args.durability} if args.durability else {}),
    )
    home = Path(tempfile.mkdtemp(prefix="checkpoint-growth-"))
    started = time.perf_counter()
    result = start_run(config, home=home, run_id="growth", model=ScriptedChatModel(default=wander))
    wall = time.perf_counter() - started
    database = result.folder / "checkpoints.sqlite"
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT checkpoint_id, type, checkpoint, length(checkpoint) FROM checkpoints "
            "WHERE thread_id = 'growth:0' ORDER BY rowid"
        ).fetchall()
        writes = conn.execute("SELECT count(*), sum(length(value)) FROM writes").fetchone()
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    serde = JsonPlusSerializer()
    saved = []  # (agent step of the state, bytes)
    for _id, kind, blob, size in rows:
        values = serde.loads_typed((kind, blob))["channel_values"]
        saved.append((int(values.get("step", 0)), int(size)))
    at: dict[str, Any] = {}
    for mark in marks:
        upto = [size for step, size in saved if step <= mark]
        at[str(mark)] = {
            "last_checkpoint_bytes": upto[-1] if upto else None,
            "checkpoints_saved": len(upto),
            "checkpoint_bytes_saved": sum(upto),
        }
    folder_files = {p.name: p.stat().st_size for p in result.folder.iterdir() if p.is_file()}
    entry = {
        "label": args.label,
        "code": commit_of(agentkit),
        "command": " ".join(["python", "docs/benchmarks/checkpoint_growth.py", *sys.argv[1:]]),
        "steps": result.summary["steps"],
        "env_steps": result.summary["env_steps"],
        "config": {
            k: v
            for k, v in vars(config).items()
            if k in ("env", "seed", "max_steps", "durability", "fsync")
        },
        "at_step": at,
        "checkpoints_total": len(saved),
        "writes_rows": writes[0],
        "writes_bytes": writes[1] or 0,
        "files_bytes": folder_files,
        "wall_s": round(wall, 1),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    results.setdefault("benchmark", "checkpoint growth over one episode")
    results.setdefault("runs", {})[args.label] = entry
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(entry, indent=2))


if __name__ == "__main__":
    main()
