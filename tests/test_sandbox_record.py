"""Code mode fails closed without the OS layers, and records the layers on every program
step and in the run's summary."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver

from agentkit import AgentRuntime, Controller
from agentkit.curriculum import ListCurriculum
from agentkit.default_plugins.gymnasium_env import GymnasiumEnvironment
from agentkit.graph import build_lifelong_graph
from agentkit.sandbox import SandboxUnavailable, run_program, runner
from agentkit.sandbox.record import summarise, summarise_trajectory
from agentkit.testing import ScriptedChatModel

REQUIRED = {"landlock_fs", "seccomp"}


@pytest.mark.parametrize("layer", sorted(REQUIRED))
def test_without_a_required_layer_programs_are_refused_with_how_to_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layer: str
) -> None:
    monkeypatch.setattr(runner, "_SKIP_LAYERS", (layer,))
    monkeypatch.delenv(runner.UNCONFINED_ENV, raising=False)
    with pytest.raises(SandboxUnavailable) as refused:
        run_program("x = 1\n", {}, workdir=tmp_path)
    message = str(refused.value)
    assert "refuses to run programs" in message
    assert ("lsm=" in message) if layer == "landlock_fs" else ("libseccomp" in message)
    assert f"{runner.UNCONFINED_ENV}=1" in message


def test_the_opt_out_runs_unconfined_says_so_and_records_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(runner, "_SKIP_LAYERS", ("landlock_fs",))
    monkeypatch.setattr(runner, "_warned", [])
    monkeypatch.setenv(runner.UNCONFINED_ENV, "1")
    result = run_program("x = 1\n", {}, workdir=tmp_path)
    assert result.ok, result.error
    assert result.isolation["opted_out"] is True
    assert "landlock_fs" not in result.isolation["layers"]
    assert "seccomp" in result.isolation["layers"]
    assert "landlock_fs" in result.isolation["missing"]
    assert f"{runner.UNCONFINED_ENV}=1" in capsys.readouterr().err
    summary = summarise([{"sandbox": result.isolation}, {"action": "noop"}])
    assert summary["opted_out"] is True and summary["program_steps"] == 1


def _plan(text: str) -> str:
    return json.dumps({"subgoals": [text]})


def test_every_program_step_and_the_summary_record_the_layers(tmp_path: Path) -> None:
    program = "def run():\n    return act('down')['ok']\n"
    replies = [_plan("go"), json.dumps({"code": program}), json.dumps({"code": program})]
    runtime = AgentRuntime(
        env=GymnasiumEnvironment("FrozenLake-v1", is_slippery=False),
        controller=Controller(ScriptedChatModel(replies=replies)),
        curriculum=ListCurriculum(["reach the goal"]),
        run_id="test-run", workdir=tmp_path, mode="code", task_steps=2,
    )
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    graph = build_lifelong_graph(runtime).compile(checkpointer=SqliteSaver(conn))
    thread: Any = {"configurable": {"thread_id": "t"}, "recursion_limit": 200}
    inputs = {"iterations": 1, "seed": 0, "step": 0, "env_steps": 0}
    events = list(graph.stream(inputs, thread, stream_mode="custom"))
    steps: list[dict[str, Any]] = [e["record"] for e in events if e["event"] == "step"]
    programs = [s for s in steps if s["action"] == "program"]
    assert len(programs) == 2
    for step in programs:
        assert REQUIRED | {"net_namespace", "rlimits"} <= set(step["sandbox"]["layers"])
        assert step["sandbox"]["opted_out"] is False
    trajectory = tmp_path / "trajectory.jsonl"
    trajectory.write_text("\n".join(json.dumps(s, default=str) for s in steps) + "\n")
    summary = summarise_trajectory(trajectory)
    assert summary["program_steps"] == 2 and REQUIRED <= set(summary["layers"])
    assert list(tmp_path.glob("program-*")) == []  # each program's own folder is removed
