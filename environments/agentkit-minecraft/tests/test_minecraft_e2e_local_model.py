"""End to end: the embedded model (SmolLM2-135M via llama.cpp) mines a log on the test server.

``agentkit run minecraft`` as a user types it: the CLI starts the bundled server and the
bridge, the model chooses among the situational actions, the world's check ends the task,
and no Node process outlives the run. Slow (a minute here); CI runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from minecraft_helpers import live_missing

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(live_missing() is not None, reason=str(live_missing())),
]

CLI = [sys.executable, "-c", "from agentkit.cli import main; main()"]


def _node_children_of(pid: int) -> list[int]:
    """Node processes started for ``pid`` (our programs get ``--parent-pid PID``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--parent-pid" in argv and str(pid).encode() in argv and b"node" in argv[0]:
            found.append(int(entry.name))
    return found


def test_the_local_model_mines_a_log_and_leaves_no_node_process(tmp_path):
    run = subprocess.Popen(
        [*CLI, "run", "minecraft", "--task", "mine a log", "--max-steps", "6",
         "--home", str(tmp_path), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    out, err = run.communicate(timeout=900)
    assert run.returncode == 0, err[-2000:]
    assert _node_children_of(run.pid) == []

    summary = json.loads(out)
    episode = summary["episodes"]["0"]
    assert summary["model"] == "llamacpp"
    lines = [
        json.loads(line)
        for line in (Path(summary["folder"]) / "trajectory.jsonl").read_text().splitlines()
    ]
    # every step is a primitive call the bridge ran, recorded for replay
    assert all(r["raw_actions"] and "act" in r["raw_actions"][0] for r in lines if r["ok"])
    assert episode["success"] is True, [(r["action"], r["argument"], r["feedback"]) for r in lines]
    assert "mine a log" in episode["env"]["milestones"]
    assert summary["fallback_actions"] == 0


def test_run_joins_a_running_server_named_on_the_command_line(tmp_path, minecraft_server):
    done = subprocess.run(
        [*CLI, "run", "minecraft", "--server", minecraft_server.address, "--mc-version",
         "1.20.4", "--username", "cli_joiner", "--task", "mine a log", "--max-steps", "2",
         "--home", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    assert summary["config"]["env_options"] == {
        "server": minecraft_server.address, "mc_version": "1.20.4", "username": "cli_joiner"
    }
    assert summary["steps"] >= 1 and minecraft_server.alive  # the server is not ours to stop
