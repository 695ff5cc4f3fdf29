"""A run killed with SIGKILL mid-episode resumes from its checkpoint without losing a line."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

from agentkit import RunConfig, resume_run, start_run
from agentkit.runs.checkpoints import open_checkpointer
from agentkit.testing import ScriptedChatModel

MOVES = ["south", "north", "east", "west"]


def choose(messages) -> str:
    """A policy that depends only on the prompt, so a resumed run repeats the same choices."""
    text = str(messages[-1].content)
    if '"subgoals"' in text:
        return json.dumps({"subgoals": ["drive around"]})
    digest = int(hashlib.sha256(text.encode()).hexdigest(), 16)
    return json.dumps({"action": MOVES[digest % 4], "argument": None, "reason": ""})


CONFIG = RunConfig(env="gymnasium:Taxi-v4", task="drive around", max_steps=40, seed=3)

CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from dataclasses import asdict
    from test_resume import CONFIG, choose
    from agentkit import RunConfig, start_run
    from agentkit.testing import ScriptedChatModel

    def slow(messages):
        time.sleep(0.05)
        return choose(messages)

    model = ScriptedChatModel(default=slow)
    config = RunConfig(**{{**asdict(CONFIG), "durability": sys.argv[2]}})
    start_run(config, home=Path(sys.argv[1]), run_id="killed", model=model)
    """
)


def checkpointed_step(folder: Path) -> int:
    with open_checkpointer(folder / "checkpoints.sqlite", "node", ()) as (saver, _):
        saved = saver.get_tuple({"configurable": {"thread_id": "killed:0"}})
    return int(saved.checkpoint["channel_values"].get("step", 0)) if saved else 0


def lines(folder: Path) -> list[dict]:
    return [json.loads(x) for x in (folder / "trajectory.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("durability", ["step", "node"])
def test_sigkill_then_resume_continues_without_loss_or_duplicates(tmp_path, durability):
    reference = start_run(CONFIG, home=tmp_path / "ref", model=ScriptedChatModel(default=choose))
    expected = [(r["step"], r["action"]) for r in lines(reference.folder)]
    assert len(expected) == 40

    script = tmp_path / "child.py"
    script.write_text(CHILD.format(tests=str(Path(__file__).parent)))
    home = tmp_path / "home"
    child = subprocess.Popen(
        [sys.executable, str(script), str(home), durability], env={**os.environ}
    )
    trajectory = home / "runs" / "killed" / "trajectory.jsonl"
    deadline = time.time() + 60
    while time.time() < deadline:
        if trajectory.exists() and len(trajectory.read_text().splitlines()) >= 12:
            break
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    killed_at = len(trajectory.read_text().splitlines())
    assert 12 <= killed_at < 40, "the child must be killed mid-episode"
    # the kill lost at most the step in flight: its line may be written, its checkpoint not
    assert killed_at - checkpointed_step(home / "runs" / "killed") <= 1

    result = resume_run("killed", home=home, model=ScriptedChatModel(default=choose))
    got = [(r["step"], r["action"]) for r in lines(result.folder)]
    assert got == expected
    assert result.summary["steps"] == 40 and result.summary["trajectory_lines"] == 40
    assert (result.folder / "actions.jsonl").exists()


def test_exit_durability_checkpoints_once_when_the_episode_ends(tmp_path):
    config = replace(CONFIG, max_steps=5, durability="exit")
    result = start_run(config, home=tmp_path, model=ScriptedChatModel(default=choose))
    with open_checkpointer(result.folder / "checkpoints.sqlite", "node", ()) as (saver, _):
        thread = {"configurable": {"thread_id": f"{result.run_id}:0"}}
        assert len(list(saver.list(thread))) == 1
        assert saver.get_tuple(thread).checkpoint["channel_values"]["step"] == 5
