"""Replay the 20 Crafter protocol episodes of d2a85bd to each shelter they were refused, and
try the shelter again with the code checked out now.

The world is a pure function of its seed and the raw actions (agentkit_crafter.determinism),
so each refusal is reproduced exactly from ``actions/seedN.jsonl``; no model is involved.
``refusals.json`` lists them (one per world step, read from the episodes' trajectories).
``results.json`` was written at 59bfde9 (a shelter counting the stone that digging gives,
and mining stone first; 69 of 128 built), since reverted (docs/benchmarks.md); at
b565a8f, 0 of 128 are built.

    PYTHONPATH=environments/agentkit-crafter .venv/bin/python \
        docs/benchmarks/crafter_shelter_replay_d2a85bd/replay.py > results.json
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from agentkit_crafter import CrafterEnvironment, pursue

HERE = Path(__file__).parent


def main() -> None:
    refusals = json.loads((HERE / "refusals.json").read_text())
    rows = []
    actions: dict[int, list[int]] = {}  # each seed's raw actions, read once (seed 19: 61 refusals)
    for refusal in refusals:
        seed = refusal["seed"]
        if seed not in actions:
            log = (HERE / "actions" / f"seed{seed}.jsonl").read_text().splitlines()
            actions[seed] = [a for line in log for a in json.loads(line)["raw"]]
        raw = actions[seed][: refusal["env_step"]]
        env = CrafterEnvironment(render=False)
        env.reset(refusal["world_seed"])
        env.replay(raw)
        assert env.steps_taken == refusal["env_step"], "the replay must reach the refusal"
        stone = int(env.player.inventory["stone"])
        outcome = pursue.shelter(env)
        rows.append({**refusal, "stone_held": stone, "ok": outcome.ok,
                     "now": outcome.feedback})  # fmt: skip
        print(refusal["seed"], refusal["env_step"], outcome.ok, outcome.feedback, file=sys.stderr)
    built = Counter(row["seed"] for row in rows if row["ok"])
    summary = {
        "refusals": len(rows),
        "with_no_stone_held": sum(row["stone_held"] == 0 for row in rows),
        "built_now": sum(row["ok"] for row in rows),
        "built_now_by_seed": {str(k): built[k] for k in sorted(built)},
        "refusals_by_seed": dict(Counter(str(row["seed"]) for row in rows)),
    }
    json.dump({"summary": summary, "rows": rows}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
