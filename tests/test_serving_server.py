"""The agent graph under LangGraph's own server, driven the way an app would drive it.

The test starts ``langgraph dev`` (langgraph-cli's in-memory server) on this repository's
``langgraph.json`` without ``--allow-blocking``, and drives it with ``langgraph-sdk``:
four threads run at once, each in its own Crafter world with the embedded SmolLM2 model
(a real model, not a test double); a long run is cancelled and its thread resumed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langgraph_sdk import get_client

from agentkit.serving.dev_server import dev_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The URL of a ``langgraph dev`` server on this repository, and its log file."""
    try:
        with dev_server(tmp_path_factory.mktemp("langgraph"), model="local") as running:
            yield running.url, running.log
    except RuntimeError as error:
        pytest.fail(str(error))


TASK = "survive and unlock as many achievements as you can"


async def _run(client: Any, thread: str, inputs: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Stream one run of ``thread``; the step records its custom events carried."""
    records = []
    async for part in client.runs.stream(thread, "agent", input=inputs, stream_mode="custom"):
        if part.event == "error":
            raise AssertionError(f"run failed: {part.data}")
        if part.event == "custom" and part.data.get("event") == "step":
            records.append(part.data["record"])
    return records


def _world_trace(records: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(r["step"], r["action"], r["argument"], r["feedback"], r["env_steps"]) for r in records]


def test_four_threads_at_once_each_in_its_own_world(server: tuple[str, Path]) -> None:
    url, log = server

    async def main() -> list[list[dict[str, Any]]]:
        client = get_client(url=url)
        threads = [(await client.threads.create())["thread_id"] for _ in range(4)]
        seeds = [0, 1, 0, 2]
        return await asyncio.gather(
            *[
                _run(client, t, {"task": TASK, "seed": s, "max_steps": 3})
                for t, s in zip(threads, seeds, strict=True)
            ]
        )

    runs = asyncio.run(main())
    for records in runs:
        assert [r["step"] for r in records] == [1, 2, 3]
    same_a, other_1, same_b, other_2 = (_world_trace(r) for r in runs)
    assert same_a == same_b  # the same seed in two worlds: the same episode
    assert other_1 != same_a and other_2 != same_a  # another seed: another world
    text = log.read_text()
    assert "BlockingError" not in text and "Blocking call" not in text
    assert "EnvironmentNotFound" not in text


def test_a_cancelled_run_resumes_on_its_thread(server: tuple[str, Path]) -> None:
    url, _ = server

    async def main() -> tuple[list[int], dict[str, Any], list[dict[str, Any]]]:
        client = get_client(url=url)
        thread = (await client.threads.create())["thread_id"]
        run = await client.runs.create(
            thread, "agent", input={"task": TASK, "seed": 3, "max_steps": 200}
        )
        state: dict[str, Any] = {}
        deadline = time.monotonic() + 300
        while state.get("step", 0) < 2:  # let it take a couple of steps
            assert time.monotonic() < deadline, "no progress in 300 s"
            await asyncio.sleep(1)
            state = (await client.threads.get_state(thread))["values"] or {}
        await client.runs.cancel(thread, run["run_id"], wait=True)
        cancelled = await client.runs.get(thread, run["run_id"])
        before = (await client.threads.get_state(thread))["values"]
        # Resume: no input, the thread carries on from its checkpoint with a shorter budget.
        await client.threads.update_state(thread, {"max_steps": before["step"] + 2})
        resumed = await _run(client, thread, None)
        return [before["step"], before["env_steps"]], cancelled, resumed

    (step, env_steps), cancelled, resumed = asyncio.run(main())
    assert cancelled["status"] in ("interrupted", "error")
    assert [r["step"] for r in resumed] == [step + 1, step + 2]
    assert resumed[0]["env_steps"] > env_steps
