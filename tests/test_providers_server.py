"""The provider path against a real OpenAI-compatible server, as a user would run it.

The test starts llama-cpp-python's server (its ``server`` extra) on Qwen2.5-Coder-0.5B and
runs ``agentkit run crafter --model openai:<name>`` through langchain-openai with
``OPENAI_BASE_URL``. The server builds a grammar from the forced tool's parameters, so every
reply arrives as a tool call; the controller's check still rejects mismatched pairs.
No skips: a server that does not start fails the test with its log.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agentkit_llamacpp.assemble import model_path
from agentkit_llamacpp.catalog import CATALOG
from trajectory_checks import run_problems

from agentkit.testing.servers import free_port

MODEL = "qwen2.5-coder-0.5b"
STEPS = 4
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a llama-cpp-python OpenAI-compatible server, stopped afterwards."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path(CATALOG[MODEL])),
        "--model_alias", MODEL,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "4096", "--n_threads", "2",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}/v1"
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited {process.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{base}/models", timeout=2) as response:
                    if MODEL in response.read().decode():
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server not ready in 180 s:\n{log.read_text()[-4000:]}")
            time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.slow
def test_crafter_run_through_an_openai_compatible_server(server: str, tmp_path: Path) -> None:
    env = {**os.environ, "OPENAI_BASE_URL": server, "OPENAI_API_KEY": "dummy"}
    command = [
        str(BIN / "agentkit"), "run", "crafter",
        "--model", f"openai:{MODEL}", "-M", "temperature=0",
        # llama-cpp-python's server ignores max_completion_tokens, which langchain-openai
        # sends for max_tokens: the cap goes in the request body itself
        "-M", 'extra_body={"max_tokens": 256}',
        "--max-steps", str(STEPS), "--seed", "0", "--home", str(tmp_path), "--json",
    ]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    summary: dict[str, Any] = json.loads(done.stdout)
    assert summary["steps"] == STEPS and summary["model"] == "openai-chat"

    folder = tmp_path / "runs" / summary["run_id"]
    records = [json.loads(line) for line in (folder / "trajectory.jsonl").read_text().splitlines()]
    assert len(records) == STEPS
    assert not any(record["fallback"] for record in records)
    # Each reply chose what its prompt listed, and the prompt listed what the world offered
    # then (replayed from the seed); tests/test_trajectory_checks.py shows the check failing.
    assert run_problems(folder) == (STEPS, [])

    totals = summary["llm_totals"]
    # Every call (plan, act, critique, repairs included) came back as a parsed tool call;
    # nothing fell back to a default decision.
    assert totals["calls"] >= STEPS
    assert totals["structured_calls"] == totals["calls"]
    assert totals["fallbacks"] == 0 and summary["fallback_actions"] == 0
    # Token usage is the server's own count (usage in each response), not a word count.
    assert totals["prompt_tokens"] > 100 * totals["calls"]
    assert totals["completion_tokens"] > 0
    tokens = [record["llm_tokens"] for record in records]
    assert tokens == sorted(tokens) and tokens[0] > 0
