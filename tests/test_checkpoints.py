"""Checkpoints that do not grow, their cadence, and the action log a resume replays."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt

from agentkit import AgentRuntime, Controller, RunConfig, build_graph, start_run
from agentkit.default_plugins.gymnasium_env import GymnasiumEnvironment
from agentkit.environment import Observation, StepResult
from agentkit.runs.checkpoints import StepCheckpointer, open_checkpointer
from agentkit.runs.folder import FileActionLog
from agentkit.runtime import ActionLogGap, MemoryActionLog
from agentkit.state import BLOCKED_LENGTH, _blocked
from agentkit.testing import ScriptedChatModel

MOVES = ["south", "north", "east", "west"]


def wander(messages: Any) -> str:
    text = str(messages[-1].content)
    if '"subgoals"' in text:
        return json.dumps({"subgoals": ["drive around"]})
    return json.dumps({"action": MOVES[len(text) % 4], "argument": None, "reason": ""})


CONFIG = RunConfig(env="gymnasium:Taxi-v4", task="drive around", max_steps=60, seed=3)


def saved(database: Path) -> list[tuple[int, int]]:
    """(step, bytes) of every saved checkpoint, oldest first."""
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT metadata, length(checkpoint) FROM checkpoints ORDER BY rowid"
        ).fetchall()
    return [(json.loads(meta)["step"], size) for meta, size in rows]


class BulkyTaxi(GymnasiumEnvironment):
    """Taxi whose raw actions carry 200 bytes each: a growing state would show at once."""

    def __init__(self) -> None:
        super().__init__("Taxi-v4")

    def step(self, action: str, argument: str | None = None) -> StepResult:
        result = super().step(action, argument)
        raw = [{"index": index, "pad": "x" * 200} for index in result.raw_actions]
        return result.model_copy(update={"raw_actions": raw})

    def replay(self, raw_actions: Sequence[Any]) -> Observation:
        return super().replay([raw["index"] for raw in raw_actions])


def test_checkpoints_keep_their_size_as_the_run_grows(tmp_path):
    runtime = AgentRuntime(
        env=BulkyTaxi(), controller=Controller(ScriptedChatModel(default=wander))
    )
    thread = {"configurable": {"thread_id": "t"}, "recursion_limit": 1000}
    inputs = {"task": "drive around", "seed": 3, "max_steps": 80, "step": 0, "env_steps": 0}
    with open_checkpointer(
        tmp_path / "c.sqlite", "step", ["perceive"], runtime=runtime
    ) as (saver, mode):
        app = build_graph(runtime).compile(checkpointer=saver)
        list(app.stream(inputs, thread, durability=mode))
        assert app.get_state(thread).values["env_steps"] == 80
    sizes = dict(saved(tmp_path / "c.sqlite"))  # metadata step -> bytes
    by_step = [sizes[k] for k in sorted(sizes)][2:-1]  # one per step, the ending left out
    assert len(by_step) == 79
    # history (20) and task_actions (40) are full by step 40; before, every raw action
    # (200 bytes) was in every later checkpoint: 6 KB more by step 70
    assert abs(max(by_step[-10:]) - max(by_step[40:50])) < 200, by_step
    assert runtime.actions.read(0, 80)[-1]["pad"] == "x" * 200


def test_a_run_folder_logs_every_raw_action_once(tmp_path):
    result = start_run(CONFIG, home=tmp_path, model=ScriptedChatModel(default=wander))
    log = FileActionLog(result.folder / "actions.jsonl", 0)
    lines = [json.loads(x) for x in (result.folder / "trajectory.jsonl").read_text().splitlines()]
    taken = [a for r in lines for a in r["raw_actions"]]
    assert len(taken) == result.summary["env_steps"] >= 60
    assert log.read(0, len(taken)) == taken


def test_step_durability_saves_one_checkpoint_per_step_and_node_one_per_node(tmp_path, monkeypatch):
    waits: list[tuple[str, int, bool]] = []
    wait_saved = StepCheckpointer.wait_saved

    def spy(self: StepCheckpointer, thread_id: str, step: int, timeout: float = 30.0) -> bool:
        saved = wait_saved(self, thread_id, step, timeout)
        waits.append((thread_id, step, saved))
        return saved

    monkeypatch.setattr(StepCheckpointer, "wait_saved", spy)
    model = ScriptedChatModel(default=wander)
    step = start_run(replace(CONFIG, max_steps=8), home=tmp_path / "a", model=model)
    # every node that touched the world waited for its step's start to be saved, and got it
    assert {s for _t, s, _ok in waits} == set(range(8))
    assert all(ok and thread == f"{step.run_id}:0" for thread, _s, ok in waits)
    node = start_run(
        replace(CONFIG, max_steps=8, durability="node"), home=tmp_path / "b", model=model
    )
    # the input, the start, then one per step (the last one where the graph ends)
    assert len(saved(step.folder / "checkpoints.sqlite")) == 8 + 2
    assert len(saved(node.folder / "checkpoints.sqlite")) >= 8 * 5
    with sqlite3.connect(step.folder / "checkpoints.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM writes").fetchone() == (0,)
    assert step.summary["steps"] == node.summary["steps"] == 8


def test_wait_saved_returns_once_the_step_is_saved_and_times_out_before():
    saver = StepCheckpointer(InMemorySaver(), starts=["begin"])
    app = toy_graph().compile(checkpointer=saver)
    assert saver.wait_saved("t", 0, timeout=0.01) is False
    thread = {"configurable": {"thread_id": "t"}}
    list(app.stream({"step": 0}, thread, durability="async"))  # stops at the interrupt
    assert saver.wait_saved("t", 1, timeout=1) is True
    assert saver.wait_saved("t", 2, timeout=0.01) is False
    assert saver.wait_saved("other", 0, timeout=0.01) is False


def test_an_unknown_durability_is_refused():
    with pytest.raises(ValueError, match="step, node, exit"):
        replace(CONFIG, durability="sometimes")


class Toy(TypedDict, total=False):
    step: int
    answer: str


def toy_graph() -> StateGraph:
    def begin(state: Toy) -> dict[str, Any]:
        return {"step": state.get("step", 0) + 1}

    def ask(state: Toy) -> dict[str, Any]:
        return {"answer": interrupt("what now?")}

    def route(state: Toy) -> str:
        return END if state["step"] >= 2 else "begin"

    graph = StateGraph(Toy)
    graph.add_node("begin", begin)
    graph.add_node("ask", ask)
    graph.add_edge(START, "begin")
    graph.add_edge("begin", "ask")
    graph.add_conditional_edges("ask", route, ["begin", END])
    return graph


def test_step_checkpointer_keeps_an_interrupt_inside_a_step():
    saver = StepCheckpointer(InMemorySaver(), starts=["begin"])
    app = toy_graph().compile(checkpointer=saver)
    thread = {"configurable": {"thread_id": "t"}}
    list(app.stream({"step": 0}, thread, durability="sync"))
    assert app.get_state(thread).next == ("ask",)  # the checkpoint inside the step was kept
    list(app.stream(Command(resume="left"), thread, durability="sync"))
    assert app.get_state(thread).next == ("ask",) and app.get_state(thread).values["step"] == 2
    list(app.stream(Command(resume="right"), thread, durability="sync"))
    final = app.get_state(thread)
    assert final.next == () and final.values == {"step": 2, "answer": "right"}
    assert saver.skipped > 0


def test_step_checkpointer_keeps_a_failed_node_to_retry_like_langgraph():
    calls: list[str] = []

    class Boom(Exception):
        pass

    def begin(state: Toy) -> dict[str, Any]:
        calls.append("begin")
        return {"step": state.get("step", 0) + 1}

    def middle(state: Toy) -> dict[str, Any]:
        calls.append("middle")
        if state["step"] == 2 and calls.count("middle") == 2:
            raise Boom
        return {}

    graph = StateGraph(Toy)
    graph.add_node("begin", begin)
    graph.add_node("middle", middle)
    graph.add_edge(START, "begin")
    graph.add_edge("begin", "middle")
    graph.add_conditional_edges("middle", lambda s: END if s["step"] >= 3 else "begin")
    saver = StepCheckpointer(InMemorySaver(), starts=["begin"])
    app = graph.compile(checkpointer=saver)
    thread = {"configurable": {"thread_id": "t"}}
    with pytest.raises(Boom):
        list(app.stream({"step": 0}, thread, durability="sync"))
    # the error is saved with the checkpoint it happened at, as every checkpoint would be
    failed = app.get_state(thread)
    assert failed.values["step"] == 2 and failed.next == ("middle",)
    list(app.stream(None, thread, durability="sync"))
    assert app.get_state(thread).values["step"] == 3
    assert calls == ["begin", "middle", "begin", "middle", "middle", "begin", "middle"]


def test_file_action_log_overwrites_a_redone_step_and_skips_a_torn_line(tmp_path):
    path = tmp_path / "actions.jsonl"
    log = FileActionLog(path, episode=0)
    log.write(0, [1, 2])
    log.write(2, [3])
    FileActionLog(path, episode=1).write(0, ["other episode"])
    log.write(2, [4, 5])  # the step after position 2 was redone after a resume
    log.close()
    with path.open("a") as handle:
        handle.write('{"episode": 0, "at": 5, "ra')  # a kill in the middle of a line
    assert FileActionLog(path, 0).read(0, 4) == [1, 2, 4, 5]
    assert FileActionLog(path, 0).read(1, 3) == [2, 4]
    assert FileActionLog(path, 1).read(0, 1) == ["other episode"]
    with pytest.raises(ActionLogGap, match="holds 4 raw actions"):
        FileActionLog(path, 0).read(0, 5)


def test_memory_action_log_says_what_a_new_process_lacks():
    log = MemoryActionLog()
    log.write(0, ["a", "b"])
    log.write(1, ["c"])
    assert log.read(0, 2) == ["a", "c"]
    with pytest.raises(ActionLogGap, match="persistent action log"):
        log.read(0, 3)


def test_blocked_keeps_the_last_distinct_choices():
    many = [f"move(x{i})" for i in range(100)] + ["move(x5)"]
    kept = _blocked(None, many)
    assert len(kept) == BLOCKED_LENGTH and kept[-1] == "move(x5)" and kept.count("move(x5)") == 1
    assert _blocked(["a"], []) == []  # a node clearing the list clears it
    assert _blocked(["a"], ["a", "b", "a"]) == ["b", "a"]
