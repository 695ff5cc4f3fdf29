"""--approve: a person approves, edits or rejects a tool call before it runs.

The graph pauses with LangGraph's interrupt() in the execute node; the run engine asks the
approver and resumes with Command(resume=verdict). The model is the scripted test double:
it always asks for the calculator, so every step is a call to review.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from agentkit import AgentRuntime, Controller, RunConfig, build_graph, start_run
from agentkit.default_plugins.gymnasium_env import GymnasiumEnvironment
from agentkit.plugins import load_plugins
from agentkit.testing import ScriptedChatModel

ran: list[str] = []


@tool
def calc(expression: str) -> str:
    """Add two numbers written as a+b."""
    ran.append(expression)
    left, right = expression.split("+")
    return str(int(left) + int(right))


def wants_calc(messages: Any) -> str:
    text = str(messages[-1].content)
    if '"subgoals"' in text:
        return json.dumps({"subgoals": ["add numbers"]})
    return json.dumps({"action": "calc", "argument": "1+1", "reason": "need a sum"})


CONFIG = RunConfig(env="gymnasium:FrozenLake-v1", task="add numbers", max_steps=3, approve=True)


def registry_with_calc():  # type: ignore[no-untyped-def]
    registry = load_plugins()
    registry.tools.append(calc)
    return registry


def lines(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (folder / "trajectory.jsonl").read_text().splitlines()]


def test_each_tool_call_waits_for_its_verdict(tmp_path: Path) -> None:
    ran.clear()
    asked: list[dict[str, Any]] = []
    verdicts = iter(
        [
            {"action": "approve"},
            {"action": "edit", "argument": "2+3"},
            {"action": "reject", "reason": "enough sums"},
        ]
    )

    def approver(request: dict[str, Any]) -> dict[str, Any]:
        asked.append(request)
        return next(verdicts)

    result = start_run(
        CONFIG,
        home=tmp_path,
        registry=registry_with_calc(),
        model=ScriptedChatModel(default=wants_calc),
        approver=approver,
    )
    assert [r["kind"] for r in asked] == ["tool"] * 3
    assert asked[0] == {
        "kind": "tool", "name": "calc", "argument": "1+1", "code": None, "reason": "need a sum"
    }  # fmt: skip
    assert ran == ["1+1", "2+3"]  # approved, edited, and the rejected one never ran
    steps = lines(result.folder)
    assert [(s["argument"], s["ok"], s["feedback"]) for s in steps] == [
        ("1+1", True, "2"),
        ("2+3", True, "5"),
        ("1+1", False, "rejected by the person reviewing it: enough sums"),
    ]


def test_a_paused_run_without_an_approver_says_how_to_go_on(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="paused for approval"):
        start_run(
            CONFIG,
            home=tmp_path,
            registry=registry_with_calc(),
            model=ScriptedChatModel(default=wants_calc),
        )


def calc_graph() -> Any:
    """The loop around the calculator-asking test double, checkpointed in memory."""
    ran.clear()
    runtime = AgentRuntime(
        env=GymnasiumEnvironment("FrozenLake-v1"),
        controller=Controller(ScriptedChatModel(default=wants_calc)),
        tools=[calc],
    )
    return build_graph(runtime).compile(checkpointer=InMemorySaver())


def test_the_pause_is_a_langgraph_interrupt_any_app_can_answer() -> None:
    graph = calc_graph()
    config: Any = {"configurable": {"thread_id": "t", "approve": True}}  # per run, as served
    graph.invoke({"task": "add numbers", "seed": 0, "max_steps": 1}, config)
    paused = graph.get_state(config)
    assert paused.next == ("execute",) and ran == []
    assert paused.interrupts[0].value["name"] == "calc"
    graph.invoke(Command(resume={"action": "edit", "argument": "4+4"}), config)
    assert ran == ["4+4"] and graph.get_state(config).values["step"] == 1


def test_approval_stays_on_for_the_thread_when_a_resume_leaves_it_out() -> None:
    # A server's next run on a thread does not carry the first run's configurable over: a
    # resume that says only Command(resume=...) must still be reviewed, not run unasked.
    graph = calc_graph()
    asked: Any = {"configurable": {"thread_id": "t", "approve": True}}
    plain: Any = {"configurable": {"thread_id": "t"}}
    graph.invoke({"task": "add numbers", "seed": 0, "max_steps": 2}, asked)
    graph.invoke(Command(resume={"action": "reject", "reason": "no"}), plain)
    assert ran == []  # the rejection held
    paused = graph.get_state(plain)  # and the second step waits for its own verdict
    assert paused.values["step"] == 1 and paused.interrupts[0].value["name"] == "calc"
    graph.invoke(Command(resume={"action": "approve"}), plain)
    assert ran == ["1+1"] and graph.get_state(plain).values["step"] == 2


def test_the_terminal_prompt_turns_keys_into_verdicts() -> None:
    from click.testing import CliRunner

    from agentkit.cli.approve import ask

    call = {"kind": "tool", "name": "calc", "argument": "1+1", "code": None, "reason": ""}
    runner = CliRunner()
    with runner.isolation(input="a\n"):
        assert ask(call) == {"action": "approve"}
    with runner.isolation(input="e\n5+5\n"):
        assert ask(call) == {"action": "edit", "argument": "5+5"}
    with runner.isolation(input="r\nnot now\n"):
        assert ask(call) == {"action": "reject", "reason": "not now"}
