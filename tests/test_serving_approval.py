"""Human approval through LangGraph's server, driven the way an app would drive it.

The test starts ``langgraph dev`` in code mode (``AGENTKIT_SERVE_MODE=code``) with the
embedded Qwen2.5-Coder 0.5B model (a real model, not a test double), so every step is a
program the model wrote. A run started with ``approve: true`` in its ``configurable``
pauses before each program with LangGraph's ``interrupt()``; the app reads what would run
from the thread's state and resumes the run with ``command={"resume": verdict}`` alone:
``langgraph dev`` does not keep a run's ``configurable`` for the next run on the thread,
and approval must stay on anyway (the thread's state keeps it). An edited program runs
instead of the model's, a rejected one does not run at all, and an approved one runs as
shown.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from agentkit_crafter.env import RAW_ACTIONS
from langgraph_sdk import get_client

from agentkit.serving.dev_server import dev_server

pytestmark = pytest.mark.slow

TASK = "collect wood"
APPROVE = {"configurable": {"approve": True}}
# A person's own program: two presses of noop and a value no model would return.
EDITED = "def run():\n    noop()\n    noop()\n    return 'edited by a person'\n"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A ``langgraph dev`` server on this repository whose threads write programs."""
    folder = tmp_path_factory.mktemp("langgraph")
    try:
        with dev_server(folder, model="qwen2.5-coder-0.5b", mode="code") as running:
            yield running.url
    except RuntimeError as error:
        pytest.fail(str(error))


async def _run(client: Any, thread: str, **request: Any) -> dict[str, Any]:
    """Stream one run of ``thread`` to its end or its pause: the step records it sent, the
    approval request it paused on (None if it ended), and that request as the thread's
    state shows it."""
    records, paused = [], None
    async for part in client.runs.stream(
        thread, "agent", stream_mode=["custom", "updates"], **request
    ):
        if part.event == "error":
            raise AssertionError(f"run failed: {part.data}")
        if part.event == "custom" and part.data.get("event") == "step":
            records.append(part.data["record"])
        if part.event == "updates" and "__interrupt__" in part.data:
            [interrupt] = part.data["__interrupt__"]
            paused = interrupt["value"]
    state = await client.threads.get_state(thread)
    status = (await client.threads.get(thread))["status"]
    shown = [i["value"] for i in state["interrupts"]]
    return {"records": records, "paused": paused, "state": state, "status": status,
            "shown": shown}  # fmt: skip


def test_a_served_run_pauses_before_each_program_for_a_verdict(url: str) -> None:
    async def main() -> list[dict[str, Any]]:
        client = get_client(url=url)
        thread = (await client.threads.create())["thread_id"]
        inputs = {"task": TASK, "seed": 0, "max_steps": 3}
        return [
            await _run(client, thread, input=inputs, config=APPROVE),  # resumes: no config
            await _run(client, thread, command={"resume": {"action": "edit", "code": EDITED}}),
            await _run(
                client,
                thread,
                command={"resume": {"action": "reject", "reason": "not in this world"}},
            ),
            await _run(client, thread, command={"resume": {"action": "approve"}}),
        ]

    first, edit, reject, approve = asyncio.run(main())

    # Each of the first three runs stops in the execute node, showing the program it
    # would run: in the stream (``__interrupt__``) and in the thread's state.
    asked = []
    for run in (first, edit, reject):
        request = run["paused"]
        assert request is not None and request["kind"] == "program"
        assert request["name"] == "program" and "def run(" in request["code"]
        assert run["shown"] == [request]
        assert run["state"]["next"] == ["execute"] and run["status"] == "interrupted"
        asked.append(request)
    assert first["records"] == []  # nothing ran before a verdict
    assert first["state"]["values"].get("env_steps", 0) == 0

    # edit: the person's program ran in the model's place, and nothing else did.
    [edited] = edit["records"]
    noop = RAW_ACTIONS.index("noop")
    assert asked[0]["code"] != EDITED
    assert edited["step"] == 1 and edited["kind"] == "program"
    assert edited["code"] == EDITED
    assert edited["ok"] is True
    assert edited["feedback"] == "program ran: 2 actions, returned 'edited by a person'"
    assert edited["raw_actions"] == [noop, noop]
    assert edited["env_steps"] == 2

    # reject: the step is recorded as failed with the reason, and the world did not move.
    [rejected] = reject["records"]
    assert rejected["step"] == 2
    assert rejected["code"] == asked[1]["code"]
    assert rejected["ok"] is False
    assert rejected["feedback"] == "rejected by the person reviewing it: not in this world"
    assert rejected["raw_actions"] == []
    assert rejected["env_steps"] == edited["env_steps"]

    # approve: the program shown is the program that ran, and the run ends at its budget.
    [approved] = approve["records"]
    assert approved["step"] == 3
    assert approved["code"] == asked[2]["code"]
    assert approved["feedback"].startswith(("program ran", "program failed"))
    assert approved["env_steps"] == rejected["env_steps"] + len(approved["raw_actions"])
    assert approve["paused"] is None and approve["shown"] == []
    assert approve["state"]["values"]["step"] == 3
    assert approve["state"]["next"] == [] and approve["status"] == "idle"
