"""End to end with the smallest embedded model (SmolLM2-135M via llama.cpp) on Crafter.

Slow: a minute or two on 2 cores. Skip locally with ``-m "not slow"``; CI runs them.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from trajectory_checks import run_problems

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-c", "from agentkit.cli import main; main()"]


def trajectory(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "trajectory.jsonl").read_text().splitlines()]


def test_crafter_run_with_the_local_model_for_20_steps(tmp_path):
    done = subprocess.run(
        [
            *CLI,
            "run",
            "crafter",
            "--model",
            "local",
            "--no-knowledge",  # the model on every primitive choice, for all 20 steps
            "--max-steps",
            "20",
            "--seed",
            "0",
            "--home",
            str(tmp_path),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    folder = Path(summary["folder"])
    lines = trajectory(folder)
    assert summary["model"] == "llamacpp"
    steps = summary["steps"]  # 20, unless the player died first (the world ends the run)
    assert steps == len(lines) and (steps == 20 or lines[-1]["done"]) and steps >= 10
    assert [r["step"] for r in lines] == list(range(1, steps + 1))
    assert summary["env_steps"] >= steps and summary["llm_calls"] >= steps
    assert summary["tokens_per_step"] > 50 and summary["llm_seconds_per_call"] > 0
    # Constrained decoding: every action is one the world offered at that step (replayed
    # from the seed and checked against its action mask) and the prompt listed; any
    # fallback is recorded as such. tests/test_trajectory_checks.py shows the check failing.
    assert run_problems(folder) == (steps, [])
    assert summary["fallback_actions"] == sum(r["fallback"] for r in lines)
    assert len(list((folder / "frames" / "ep0").glob("*.png"))) == steps
    with Image.open(folder / "replay.gif") as gif:
        assert gif.n_frames >= 1 and gif.size == (96, 96)
    saved = json.loads((folder / "summary.json").read_text())
    assert saved["steps"] == steps


def test_sigkill_and_resume_through_the_cli(tmp_path):
    child = subprocess.Popen(
        [
            *CLI,
            "run",
            "crafter",
            "--model",
            "local",
            "--no-knowledge",
            "--max-steps",
            "12",
            "--seed",
            "3",
            "--home",
            str(tmp_path),
            "--json",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 600
    lines_file = None
    while time.time() < deadline:
        found = list((tmp_path / "runs").glob("*/trajectory.jsonl"))
        if found and len(found[0].read_text().splitlines()) >= 4:
            lines_file = found[0]
            break
        assert child.poll() is None, "the run ended before it could be killed"
        time.sleep(0.1)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert lines_file is not None
    run_id = lines_file.parent.name
    before = len(lines_file.read_text().splitlines())
    assert before < 12

    done = subprocess.run(
        [*CLI, "run", "--resume", run_id, "--home", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = trajectory(lines_file.parent)
    assert [r["step"] for r in lines] == list(range(1, 13))
    assert json.loads(done.stdout)["steps"] == 12


def test_ctrl_c_names_the_run_to_resume(tmp_path):
    child = subprocess.Popen(
        [
            *CLI,
            "run",
            "gymnasium:Taxi-v4",
            "--model",
            "local",
            "--max-steps",
            "200",
            "--home",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell runs background jobs with SIGINT ignored, and children inherit that: give
        # the child Ctrl-C back, so the test also holds when pytest itself runs in the
        # background (found running `make test &`).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.time() + 300
    while time.time() < deadline:
        found = list((tmp_path / "runs").glob("*/trajectory.jsonl"))
        if found and len(found[0].read_text().splitlines()) >= 2:
            break
        time.sleep(0.1)
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 130
    run_id = found[0].parent.name
    assert f"Continue with: agentkit run --resume {run_id}" in " ".join(stderr.split())


@pytest.mark.parametrize("mode", ["select", "code"])
def test_lifelong_learning_with_the_local_model_and_minilm(tmp_path, mode):
    """``agentkit learn`` on the embedded defaults: the loop, memory and sandbox all run."""
    done = subprocess.run(
        [
            *CLI,
            "learn",
            "crafter",
            "--model",
            "local",
            "--iterations",
            "2",
            "--task-steps",
            "3",
            "--mode",
            mode,
            "--no-knowledge",  # the model decides every step: at least 6 calls
            "-E",
            "raw=false",
            "--home",
            str(tmp_path),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    assert summary["iterations"] == 2 and summary["llm_calls"] >= 6
    folder = tmp_path / "runs" / summary["run_id"]
    lines = trajectory(folder)
    assert len(lines) == summary["steps"] <= 6
    assert all(r["reply"] for r in lines)  # constrained decoding: a reply every step
    if mode == "code":
        assert all(r["action"] == "program" and "def run(" in r["code"] for r in lines)
    records = [json.loads(x) for x in (folder / "iterations.jsonl").read_text().splitlines()]
    assert [r["iteration"] for r in records] == [0, 1]
    listed = subprocess.run(
        [*CLI, "episodes", "list", "--home", str(tmp_path), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert len(json.loads(listed.stdout)) == 2
