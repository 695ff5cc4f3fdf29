"""A Crafter skill learned from an attempt that began with wood in hand gets its wood itself;
an attempt leaves skills for the goals it reached on its way, even when it fails.

The controller is the ``ScriptedChatModel`` test double (every step here has one option,
so it is asked only for critiques) and the embedder ``HashingEmbedder``; the world,
Chroma, SQLite and the sandbox are real.
"""

from __future__ import annotations

import json

from agentkit.bench.learning import learning_markdown
from agentkit.memory import open_memory
from agentkit.programs import run_code
from agentkit.runs.lifelong import LearnConfig, start_learning
from agentkit.testing import HashingEmbedder, ScriptedChatModel

from agentkit_crafter import CrafterEnvironment


def critic(success: bool):  # type: ignore[no-untyped-def]
    """Test double for the controller: answers critiques only (every step here has one
    option), each with ``success``."""

    def reply(messages):  # type: ignore[no-untyped-def]
        text = str(messages[-1].content)
        assert '"success"' in text, f"only critiques are expected here, not:\n{text[-600:]}"
        return json.dumps({"success": success, "reasoning": "", "critique": ""})

    return reply


def learn(tmp_path, tasks: list[str], task_steps: int, run_id: str, done: bool):
    """A lifelong run on seed 1's world over ``tasks``, one attempt each, every critique
    ``done``: its config and result."""
    listed = tmp_path / "tasks.txt"
    listed.write_text("".join(f"{task}\n" for task in tasks))
    config = LearnConfig(env="crafter", tasks=str(listed), iterations=len(tasks),
                         task_steps=task_steps, seed=1)  # fmt: skip
    result = start_learning(config, home=tmp_path, run_id=run_id,
                            model=ScriptedChatModel(default=critic(done)),
                            embedder=HashingEmbedder())  # fmt: skip
    return config, result


def test_a_table_skill_learned_holding_wood_places_a_table_from_an_empty_inventory(tmp_path):
    _, result = learn(tmp_path, ["collect wood", "place table"], 6, "prerequisites", True)
    assert result.summary["completed"] == ["collect wood", "place table"]

    skills, episodes = open_memory(tmp_path, HashingEmbedder())
    try:
        code = {name: skills.get(name).code for name in ("collect_wood", "place_table")}
    finally:
        skills.close()
        episodes.close()
    # The second attempt began with the first's wood and collected only one more of the
    # two the table spends: the skill gets the wood it found in hand from collect_wood.
    table = code["place_table"]
    assert "holding('wood') < 2" in table and "ok = collect_wood()" in table
    assert "collect_wood" not in code["collect_wood"].split(":", 1)[1]  # no prerequisite

    # Replayed in a new world with nothing held, it places a table.
    env = CrafterEnvironment(render=False)
    env.reset(seed=1)
    assert env.holdings().get("wood", 0) == 0 and env.holdings().get("table", 0) == 0
    run = run_code(env, table, entry="place_table", lookup=code.get, workdir=tmp_path / "run")
    assert run.ok, run.feedback
    assert env.check("place_table")
    assert env.holdings().get("table") == 1

    # The replay alone, as written before skills carried prerequisites, fails there.
    bare = (
        "def place_table():\n    return act('collect', 'tree')['ok'] and "
        "act('place', 'table')['ok']\n"
    )
    fresh = CrafterEnvironment(render=False)
    fresh.reset(seed=1)
    run = run_code(fresh, bare, entry="place_table", lookup=code.get, workdir=tmp_path / "bare")
    assert not run.ok and not fresh.check("place_table")


def test_an_attempt_that_fails_leaves_skills_for_the_goals_it_reached_on_its_way(tmp_path):
    # Three steps are too few for a wood pickaxe from nothing (wood, wood, table, wood,
    # pickaxe); the wood and the table reached on the way each become a skill.
    config, result = learn(tmp_path, ["make wood pickaxe"], 3, "on-the-way", False)
    assert result.summary["completed"] == []
    (record,) = [
        json.loads(line)
        for line in (tmp_path / "runs" / "on-the-way" / "iterations.jsonl").read_text().splitlines()
    ]
    assert record["skills_on_the_way"] == ["collect_wood@v1", "place_table@v1"]
    assert record["skill"] is None
    assert result.summary["skills_learned_on_the_way"] == record["skills_on_the_way"]
    assert "| 0 (+2 on the way) |" in learning_markdown({"full": result.summary}, config)

    skills, episodes = open_memory(tmp_path, HashingEmbedder())
    try:
        assert skills.get("make_wood_pickaxe") is None
        code = {name: skills.get(name).code for name in ("collect_wood", "place_table")}
        table = skills.get("place_table")
        assert table.verified and table.successes == 1
    finally:
        skills.close()
        episodes.close()
    assert code["place_table"].count("act('collect', 'tree')") == 2  # the steps to it

    env = CrafterEnvironment(render=False)
    env.reset(seed=3)  # another world, nothing held
    run = run_code(env, code["place_table"], entry="place_table", lookup=code.get,
                   workdir=tmp_path / "run")  # fmt: skip
    assert run.ok, run.feedback
    assert env.holdings().get("table") == 1
