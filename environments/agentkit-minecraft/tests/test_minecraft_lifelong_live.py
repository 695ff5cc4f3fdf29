"""Minecraft through the lifelong loop: a JavaScript skill is learned, stored and reused.

The controller is the ``ScriptedChatModel`` test double and the embedder ``HashingEmbedder``;
the server, the bridge, Chroma and SQLite are real. Slow (about a minute here).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from agentkit.memory import open_memory
from agentkit.runs.lifelong import LearnConfig, start_learning
from agentkit.testing import HashingEmbedder, ScriptedChatModel
from minecraft_helpers import live_missing

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(live_missing() is not None, reason=str(live_missing())),
]

PLAN = json.dumps({"subgoals": ["mine a log"]})
PROGRAM = (
    "async function run(bot) {\n"
    '  const ok = await mineBlock(bot, "oak_log", 1);\n'
    "  return ok !== false;\n"
    "}\n"
)


def learn(home: Path, replies: list[str], run_id: str, mode: str):
    tasks = home / "tasks.txt"
    tasks.write_text("mine a log\n")
    config = LearnConfig(env="minecraft", tasks=str(tasks), iterations=1, task_steps=2,
                         mode=mode, seed=7,
                         knowledge=False)  # every decision is the scripted model's
    model = ScriptedChatModel(replies=replies)
    result = start_learning(config, home=home, run_id=run_id, model=model,
                            embedder=HashingEmbedder())
    return result, model


def test_a_javascript_skill_is_learned_in_code_mode_and_reused_by_a_later_run(tmp_path):
    first, _ = learn(tmp_path, [PLAN, json.dumps({"code": PROGRAM})], "first", "code")
    assert first.summary["completed"] == ["mine a log"]
    assert first.summary["skills_learned"] == ["mine_a_log@v1"]

    skills, episodes = open_memory(tmp_path, HashingEmbedder())
    try:
        skill = skills.get("mine_a_log")
        hits = skills.search("get some wood from a tree", k=1, environment="minecraft")
    finally:
        skills.close()
        episodes.close()
    assert (skill.language, skill.environment) == ("javascript", "minecraft")
    assert skill.code.startswith("async function mine_a_log(bot) {")
    assert [hit.skill.name for hit in hits] == ["mine_a_log"]

    # a later run in select mode, on a fresh world: the task's own verified skill runs in the
    # bridge before any model is asked (direct reuse), so the scripted model is never called
    second, model = learn(tmp_path, [PLAN], "second", "select")
    assert model.prompts == [] and second.summary["llm_calls"] == 0
    assert second.summary["completed"] == ["mine a log"]
    record = json.loads((second.folder / "iterations.jsonl").read_text().splitlines()[0])
    assert record["skills_used"] == ["mine_a_log"] and record["steps"] == 1
