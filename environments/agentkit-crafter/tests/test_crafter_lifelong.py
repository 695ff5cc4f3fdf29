"""Crafter through the whole lifelong loop: learn a skill, export the episode, reuse the skill.

The controller is the ``ScriptedChatModel`` test double and the embedder ``HashingEmbedder``;
the world, Chroma, SQLite and the sandbox are real.
"""

from __future__ import annotations

import json
from pathlib import Path

from agentkit.export import export_episodes, read_export
from agentkit.memory import open_memory
from agentkit.plugins import get_registry
from agentkit.plugins.hookspecs import hookimpl
from agentkit.runs.lifelong import LearnConfig, start_learning
from agentkit.testing import HashingEmbedder, ScriptedChatModel


def reply(action: str, argument: str | None = None) -> str:
    return json.dumps({"action": action, "argument": argument, "reason": ""})


PLAN = json.dumps({"subgoals": ["collect wood"]})


def learn(tmp_path: Path, replies: list[str], run_id: str, *, direct_reuse: bool = True):
    tasks = tmp_path / "tasks.txt"
    tasks.write_text("collect wood\n")
    config = LearnConfig(
        env="crafter",
        tasks=str(tasks),
        iterations=1,
        task_steps=4,
        seed=1,  # a tree in view at the start
        env_options={"raw": False},
        knowledge=False,  # the select-mode path: goto and interact chosen by the model
        direct_reuse=direct_reuse,
    )
    model = ScriptedChatModel(replies=replies)
    registry = get_registry()
    recorder = Recorder()
    registry.manager.register(recorder, name=f"recorder-{run_id}")
    try:
        result = start_learning(
            config,
            home=tmp_path,
            run_id=run_id,
            model=model,
            embedder=HashingEmbedder(),
            registry=registry,
        )
    finally:
        registry.manager.unregister(recorder)
    return result, model, recorder


class Recorder:
    """Observer plugin: what the lifelong hooks were told."""

    def __init__(self) -> None:
        self.tasks: list[dict] = []
        self.skills: list[dict] = []

    @hookimpl
    def on_task_end(self, run_id, record):
        self.tasks.append(record)

    @hookimpl
    def on_skill_learned(self, run_id, skill):
        self.skills.append(skill)


def test_a_learned_crafter_skill_is_exported_and_reused_by_a_later_run(tmp_path):
    replies = [PLAN, reply("goto", "tree"), reply("interact", "tree")]
    first, _, hooks = learn(tmp_path, replies, "first")
    assert first.summary["completed"] == ["collect wood"]
    assert first.summary["skills_learned"] == ["collect_wood@v1"]
    assert [(r["task"], r["truth"]) for r in hooks.tasks] == [("collect wood", True)]
    assert [(s["name"], s["version"], s["episode"]) for s in hooks.skills] == [
        ("collect_wood", 1, "first:0")
    ]

    skills, episodes = open_memory(tmp_path, HashingEmbedder())
    try:
        code = skills.get("collect_wood").code
        verified = episodes.list(success=True)
    finally:
        skills.close()
        episodes.close()
    assert "act('goto', 'tree')" in code and "act('interact', 'tree')" in code
    assert [e.id for e in verified] == ["first:0"]

    for fmt in ("sharegpt", "llava"):
        out = tmp_path / f"export-{fmt}"
        report = export_episodes(verified, tmp_path, out, fmt)
        samples = read_export(out, fmt)  # raises on any inconsistency
        assert report.decisions == 2 and report.episodes == 1
        text = json.dumps(samples)
        assert '\\"argument\\": \\"tree\\"' in text  # the controller's own replies
        assert report.images >= 1 and all(p.suffix == ".png" for p in (out / "images").iterdir())

    # A new run, same memory: the skill is recalled, offered and run in the sandbox.
    second, model, hooks = learn(
        tmp_path, [PLAN, reply("skill:collect_wood")], "second", direct_reuse=False
    )
    assert hooks.skills == []  # reused, not relearned
    offered = str(model.prompts[1][-1].content)
    assert "skill:collect_wood" in offered
    assert second.summary["completed"] == ["collect wood"]
    record = json.loads((second.folder / "iterations.jsonl").read_text().splitlines()[0])
    assert record["skills_used"] == ["collect_wood"] and record["steps"] == 1
    skills, episodes = open_memory(tmp_path, HashingEmbedder())
    try:
        assert skills.get("collect_wood").successes == 2
        assert len(skills.versions("collect_wood")) == 1
    finally:
        skills.close()
        episodes.close()

    # With direct reuse (the default) the task's own verified skill runs before any plan
    # or decision is asked for: the model is not asked at all.
    third, model, hooks = learn(tmp_path, [], "third")
    assert third.summary["completed"] == ["collect wood"]
    assert model.prompts == []
    assert third.summary["llm_calls"] == 0
    assert third.summary["working_calls_per_completed_task"] == 0.0
    lines = (third.folder / "trajectory.jsonl").read_text().splitlines()
    step = json.loads(lines[0])
    assert step["action"] == "skill:collect_wood" and step["ok"] is True
    assert step["reason"].startswith("a verified skill for this task") and not step["prompt"]
    skills, episodes = open_memory(tmp_path, HashingEmbedder())
    try:
        assert skills.get("collect_wood").successes == 3
    finally:
        skills.close()
        episodes.close()


def test_code_mode_shows_the_rules_steps_and_a_verified_skill(tmp_path):
    """Knowledge in code mode: the prompt carries the rules and the decomposer's steps as
    calls, a program may call an action the mask hides when it starts (place, before the
    wood is in hand), and a later task sees a verified skill's code."""
    tasks = tmp_path / "tasks.txt"
    tasks.write_text("collect wood\ncollect wood then place table\n")
    program = (
        "def run():\n    for _ in range(2):\n        collect('tree')\n"
        "    return place('table')['ok']\n"
    )
    first = "def run():\n    return collect('tree')['ok']\n"

    def policy(messages):  # type: ignore[no-untyped-def]
        text = str(messages[-1].content)
        if '"success"' in text:  # a critique
            return json.dumps({"success": True, "reasoning": "", "critique": ""})
        return json.dumps({"code": first if "Task: collect wood\n" in text else program})

    model = ScriptedChatModel(default=policy)
    config = LearnConfig(
        env="crafter", tasks=str(tasks), iterations=2, task_steps=3, seed=1, mode="code"
    )
    result = start_learning(
        config, home=tmp_path, run_id="code", model=model, embedder=HashingEmbedder()
    )
    assert result.summary["completed"] == ["collect wood", "collect wood then place table"]
    prompts = [str(messages[-1].content) for messages in model.prompts]
    assert (
        'Steps the rules give from what you hold now:\n- collect wood: collect("tree")'
        in (prompts[0])
    )
    later = prompts[-1]
    assert '- place table: place("table")' in later
    assert "A verified skill for a similar task" in later and "def collect_wood" in later
