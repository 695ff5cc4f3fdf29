"""``agentkit bench learning`` in miniature: five conditions, separate memories, one table."""

from __future__ import annotations

import json
import re
from pathlib import Path

from agentkit.bench.learning import CONDITIONS, run_learning_bench
from agentkit.runs.lifelong import LearnConfig
from agentkit.testing import HashingEmbedder, ScriptedChatModel


def policy(messages) -> str:
    """Test double: a valid reply to whichever decision is asked for."""
    text = str(messages[-1].content)
    if "Candidate tasks:" in text:
        first = re.search(r"Candidate tasks: ([^,\n]+)", text).group(1)
        return json.dumps({"task": first.strip(), "reasoning": ""})
    if '"subgoals"' in text:
        return json.dumps({"subgoals": ["look around"]})
    if "\nOptions:\n" in text:  # knowledge mode: the first option offered
        first = text.split("\nOptions:\n")[1].splitlines()[0]
        return json.dumps({"reason": "", "option": first[2:].split(":")[0]})
    return json.dumps({"action": "explore", "argument": "north", "reason": ""})


def test_each_condition_runs_with_its_own_memory_and_the_table_is_written(tmp_path):
    base = LearnConfig(env="crafter", iterations=2, task_steps=2, env_options={"raw": False})
    results = run_learning_bench(
        base, tmp_path, model=ScriptedChatModel(default=policy), embedder=HashingEmbedder()
    )
    assert list(results) == list(CONDITIONS)
    for name, summary in results.items():
        assert summary["iterations"] == 2, name
        assert (tmp_path / name / "memory" / "records.sqlite").exists(), name
    # without verification every attempt is accepted, so explore-only attempts are "learned"
    assert results["no-critic"]["accepted_by_agent"] == 2
    assert results["full"]["accepted_by_agent"] == results["full"]["tasks_completed"]
    assert results["no-skills"]["skills_learned"] == []
    table = (tmp_path / "results.md").read_text()
    assert all(f"| {name} |" in table for name in CONDITIONS)
    assert (tmp_path / "learning_curves.png").read_bytes()[:4] == b"\x89PNG"
    saved = json.loads((tmp_path / "results.json").read_text())
    assert set(saved) == set(CONDITIONS)


def test_a_second_pass_reuses_the_first_passes_memory(tmp_path):
    tasks = tmp_path / "tasks.txt"
    tasks.write_text("collect wood\n")
    base = LearnConfig(env="crafter", tasks=str(tasks), iterations=1, task_steps=6, seed=1)
    results = run_learning_bench(
        base,
        tmp_path / "out",
        conditions=["full", "no-direct-reuse"],
        passes=2,
        model=ScriptedChatModel(default=policy),
        embedder=HashingEmbedder(),
    )
    assert list(results) == ["full", "full pass 2", "no-direct-reuse", "no-direct-reuse pass 2"]
    for name in ("full", "no-direct-reuse"):
        first, second = results[name], results[f"{name} pass 2"]
        assert first["completed"] == ["collect wood"] and first["skills_learned"], name
        assert second["completed"] == ["collect wood"], name
        assert first["run_folder"] != second["run_folder"]

    def steps(label: str) -> list[dict]:
        folder = Path(results[label]["run_folder"])
        return [json.loads(line) for line in (folder / "trajectory.jsonl").read_text().splitlines()]

    # Without direct reuse the second pass offers the first pass's skill beside the rules'
    # steps, and the model chooses.
    offered = {option for line in steps("no-direct-reuse pass 2") for option in line["options"]}
    assert "skill:collect_wood" in offered
    # With it, the task's own verified skill runs first, and no decision is asked for.
    first_step = steps("full pass 2")[0]
    assert first_step["action"] == "skill:collect_wood" and first_step["ok"] is True
    assert first_step["reason"].startswith("a verified skill") and not first_step["prompt"]
    assert "decide" not in results["full pass 2"]["llm_calls_by_node"]
    assert results["full pass 2"]["working_calls_per_completed_task"] == 0.0
    table = (tmp_path / "out" / "results.md").read_text()
    assert "| full pass 2 |" in table and "knowledge: yes" in table
