"""``start_learning``/``resume_learning``: files written, memory kept, a SIGKILL survived."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from agentkit.memory import open_memory
from agentkit.runs.lifelong import LearnConfig, resume_learning, start_learning
from agentkit.testing import HashingEmbedder, ScriptedChatModel

MOVES = ["left", "down", "right", "up"]


def choose(messages) -> str:
    """A policy that depends only on the prompt, so a resumed run repeats its choices."""
    text = str(messages[-1].content)
    if '"subgoals"' in text:
        return json.dumps({"subgoals": ["walk to the goal"]})
    digest = int(hashlib.sha256(text.encode()).hexdigest(), 16)
    return json.dumps({"action": MOVES[digest % 4], "argument": None, "reason": ""})


def config(tmp_path: Path, **changes) -> LearnConfig:
    tasks = tmp_path / "tasks.txt"
    tasks.write_text("reach the goal\nreach the goal twice\n")
    values = dict(
        env="gymnasium:FrozenLake-v1",
        tasks=str(tasks),
        iterations=4,
        task_steps=8,
        env_options={"is_slippery": False},
    )
    return LearnConfig(**{**values, **changes})


def iterations(folder: Path) -> list[dict]:
    lines = (folder / "iterations.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


def test_a_lifelong_run_writes_its_records_summary_and_curve(tmp_path):
    result = start_learning(
        config(tmp_path),
        home=tmp_path / "home",
        model=ScriptedChatModel(default=choose),
        embedder=HashingEmbedder(),
    )
    records = iterations(result.folder)
    summary = json.loads((result.folder / "learning.json").read_text())
    assert [r["iteration"] for r in records] == list(range(len(records)))
    assert 1 <= len(records) <= 4 and summary["iterations"] == len(records)
    assert (
        summary["curve"][-1]
        == summary["tasks_completed"]
        == sum(1 for task in {r["task"] for r in records if r["truth"]})
    )
    assert summary["llm_calls"] >= sum(r["steps"] for r in records)  # one decision per step
    assert (result.folder / "learning_curve.png").read_bytes()[:4] == b"\x89PNG"
    trajectory = [
        json.loads(x) for x in (result.folder / "trajectory.jsonl").read_text().splitlines()
    ]
    assert all(r["prompt"] and r["reply"] for r in trajectory)  # turns kept for the export
    # the memory outlives the run
    skills, episodes = open_memory(tmp_path / "home", HashingEmbedder())
    try:
        assert len(episodes.list(run_id=result.run_id)) == len(records)
        learned = [r["skill"] for r in records if r["skill"]]
        assert sorted(s.ref for s in skills.list()) == sorted(set(learned))
    finally:
        skills.close()
        episodes.close()


CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from test_learning_run import choose, config
    from agentkit.runs.lifelong import start_learning
    from agentkit.testing import HashingEmbedder, ScriptedChatModel

    def slow(messages):
        time.sleep(0.05)
        return choose(messages)

    start_learning(config(Path(sys.argv[2])), home=Path(sys.argv[1]), run_id="killed",
                   model=ScriptedChatModel(default=slow), embedder=HashingEmbedder())
    """
)


def test_a_killed_lifelong_run_resumes_to_the_same_records(tmp_path):
    reference = start_learning(
        config(tmp_path),
        home=tmp_path / "ref",
        model=ScriptedChatModel(default=choose),
        embedder=HashingEmbedder(),
    )
    expected = [
        (r["iteration"], r["task"], r["steps"], r["truth"]) for r in iterations(reference.folder)
    ]
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(tests=str(Path(__file__).parent)))
    home = tmp_path / "home"
    child = subprocess.Popen([sys.executable, str(script), str(home), str(tmp_path)])
    trajectory = home / "runs" / "killed" / "trajectory.jsonl"
    deadline = time.time() + 90
    while time.time() < deadline:
        if trajectory.exists() and len(trajectory.read_text().splitlines()) >= 10:
            break
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert not (home / "runs" / "killed" / "learning.json").exists(), "killed too late"

    result = resume_learning(
        "killed", home=home, model=ScriptedChatModel(default=choose), embedder=HashingEmbedder()
    )
    got = [(r["iteration"], r["task"], r["steps"], r["truth"]) for r in iterations(result.folder)]
    # a record written just before the kill may be written again: the last one wins
    assert sorted(set(got)) == sorted(set(expected))
    assert result.summary["curve"] == reference.summary["curve"]
