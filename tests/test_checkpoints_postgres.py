"""Checkpoints in a real PostgreSQL: a run killed with SIGKILL resumes from the database.

The test starts a PostgreSQL cluster from Debian's packages (agentkit.testing.servers),
runs an episode in a child process with ``checkpointer=postgresql://...``, kills it
mid-episode and resumes it; the resumed run must match an uninterrupted one step for step.
The model is the scripted test double of tests/test_resume.py (its choices depend only on
the prompt), because what is tested is where the checkpoints go, not the model.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from test_resume import CONFIG, choose, lines

from agentkit import RunConfig, resume_run, start_run
from agentkit.runs.checkpoints import open_checkpointer
from agentkit.testing import ScriptedChatModel
from agentkit.testing.servers import PostgresServer, postgres_server

CHILD = textwrap.dedent(
    """
    import sys, time
    from dataclasses import asdict
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from test_resume import CONFIG, choose
    from agentkit import RunConfig, start_run
    from agentkit.testing import ScriptedChatModel

    def slow(messages):
        time.sleep(0.05)
        return choose(messages)

    config = RunConfig(**{{**asdict(CONFIG), "checkpointer": sys.argv[2]}})
    model = ScriptedChatModel(default=slow)
    start_run(config, home=Path(sys.argv[1]), run_id="killed", model=model)
    """
)


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


def saved_step(url: str, thread: str) -> int:
    with open_checkpointer(url, "node", ()) as (saver, _):
        found = saver.get_tuple({"configurable": {"thread_id": thread}})
    return int(found.checkpoint["channel_values"].get("step", 0)) if found else 0


def test_sigkill_then_resume_from_postgres(tmp_path: Path, postgres: PostgresServer) -> None:
    url = postgres.create_database("killed")
    reference = start_run(CONFIG, home=tmp_path / "ref", model=ScriptedChatModel(default=choose))
    expected = [(r["step"], r["action"]) for r in lines(reference.folder)]

    script = tmp_path / "child.py"
    script.write_text(CHILD.format(tests=str(Path(__file__).parent)))
    home = tmp_path / "home"
    child = subprocess.Popen([sys.executable, str(script), str(home), url], env={**os.environ})
    trajectory = home / "runs" / "killed" / "trajectory.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline:
        if trajectory.exists() and len(trajectory.read_text().splitlines()) >= 12:
            break
        assert child.poll() is None, "the child ended before it could be killed"
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    killed_at = len(trajectory.read_text().splitlines())
    assert 12 <= killed_at < 40, "the child must be killed mid-episode"
    assert killed_at - saved_step(url, "killed:0") <= 1  # at most the step in flight lost
    assert not (home / "runs" / "killed" / "checkpoints.sqlite").exists()

    result = resume_run("killed", home=home, model=ScriptedChatModel(default=choose))
    assert [(r["step"], r["action"]) for r in lines(result.folder)] == expected
    assert result.summary["steps"] == 40
    with psycopg.connect(url) as conn:
        saved = conn.execute(
            "SELECT count(*) FROM checkpoints WHERE thread_id = %s", ("killed:0",)
        ).fetchone()
    assert saved is not None and saved[0] >= 40  # one checkpoint per step, in PostgreSQL
    assert saved_step(url, "killed:0") == 40


def test_the_cli_runs_with_a_postgres_checkpointer(
    tmp_path: Path, postgres: PostgresServer
) -> None:
    url = postgres.create_database("cli")
    config = replace(CONFIG, max_steps=3)
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("agentkit")), "run", config.env,
            "--task", config.task, "--max-steps", "3", "--seed", str(config.seed),
            "--model", "local", "--home", str(tmp_path), "--checkpointer", url, "--json",
        ],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    assert summary["steps"] == 3
    run_id = summary["run_id"]
    assert saved_step(url, f"{run_id}:0") == 3


def test_a_bad_checkpointer_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="must be a postgresql:// URL"):
        RunConfig(env="crafter", checkpointer="sqlite:///x.db")


def test_a_lifelong_run_checkpoints_to_postgres(tmp_path: Path, postgres: PostgresServer) -> None:
    url = postgres.create_database("learn")
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("agentkit")), "learn", "crafter",
            "--iterations", "1", "--task-steps", "2", "--model", "local",
            "--home", str(tmp_path), "--checkpointer", url, "--json",
        ],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    run_id = json.loads(done.stdout)["run_id"]
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM checkpoints WHERE thread_id LIKE %s", (f"{run_id}:%",)
        ).fetchone()
    assert row is not None and row[0] >= 2  # the task's start and its steps
    assert not (tmp_path / "runs" / run_id / "checkpoints.sqlite").exists()
