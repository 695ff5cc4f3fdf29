"""End to end: the 1.5B model with Minecraft's rules reaches a wooden pickaxe on the test server.

``agentkit run minecraft --model qwen2.5-coder-1.5b`` as a user types it, knowledge on: the
decomposer plans from minecraft-data's recipes and drops, every step is a rule's step
carried out by a primitive (mine explores when no tree is near), the world's check ends the
task. The task names five tech-tree goals; where their chains' first steps differ (with
four planks: the table or sticks) the model chooses, elsewhere one option needs no call.
Slow (about two minutes here); ``make setup`` installs the model.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from minecraft_helpers import live_missing

from agentkit_minecraft.knowledge import minecraft_knowledge

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(live_missing() is not None, reason=str(live_missing())),
]

CLI = [sys.executable, "-c", "from agentkit.cli import main; main()"]
TASK = "climb the tech tree: a log, planks, a crafting table, sticks, a wooden pickaxe"


def test_the_15b_model_with_knowledge_crafts_a_wooden_pickaxe(tmp_path: Path) -> None:
    done = subprocess.run(
        [*CLI, "run", "minecraft", "--model", "qwen2.5-coder-1.5b", "--task", TASK,
         "--max-steps", "14", "--seed", "0", "--home", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        timeout=1500,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    lines = [
        json.loads(line)
        for line in (Path(summary["folder"]) / "trajectory.jsonl").read_text().splitlines()
    ]
    steps = [(r.get("label"), r["ok"], r["feedback"][:120]) for r in lines]
    episode = summary["episodes"]["0"]
    assert summary["model"] == "llamacpp"
    assert summary["llm_calls"] >= 1  # the model chose where there was a choice
    assert episode["success"] is True, steps
    assert "craft a wooden pickaxe" in episode["env"]["milestones"], steps
    knowledge = minecraft_knowledge("1.20.4")
    assert knowledge is not None
    rules = {rule.name for rule in knowledge.rules}
    assert all(r.get("label") in rules for r in lines), steps  # only the rules' steps
    assert len(lines) <= 14
    assert summary["fallback_actions"] == 0
