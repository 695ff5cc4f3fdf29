"""Two agents learn at once, as Ray tasks, into one memory on real servers.

PostgreSQL and Chroma's server are started by the test (agentkit.testing.servers); the
agents run ``agentkit learn --agents 2`` on a local Ray with the embedded SmolLM2 model.
Each writes its episodes into the shared memory, where the other can recall them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentkit.memory import open_memory, resolve_embedder
from agentkit.runs import LearnConfig
from agentkit.runs.agents import start_agents
from agentkit.testing.servers import chroma_server, postgres_server


@pytest.fixture(scope="module")
def memory_url() -> Iterator[str]:
    with postgres_server() as postgres, chroma_server() as chroma:
        yield f"{postgres.dsn}?chroma={chroma.url}"


def test_agents_need_the_shared_server_memory(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="server memory"):
        start_agents(LearnConfig(env="crafter"), 2, home=tmp_path)
    with pytest.raises(ValueError, match="at least 2"):
        start_agents(LearnConfig(env="crafter", memory="postgresql://x/y"), 1, home=tmp_path)


@pytest.mark.slow
def test_two_agents_learn_into_one_shared_memory(tmp_path: Path, memory_url: str) -> None:
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("agentkit")), "learn", "crafter",
            "--agents", "2", "--iterations", "1", "--task-steps", "2", "--model", "local",
            "--memory", memory_url, "--home", str(tmp_path), "--json",
        ],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    rows = json.loads(done.stdout)
    assert [row["agent"] for row in rows] == [0, 1]
    runs = {row["run_id"] for row in rows}
    assert all((tmp_path / "runs" / run / "learning.json").exists() for run in runs)
    skills, episodes = open_memory(memory_url, resolve_embedder("minilm"))
    try:
        assert {episode.run_id for episode in episodes.list()} == runs  # both wrote to it
    finally:
        skills.close()
        episodes.close()
