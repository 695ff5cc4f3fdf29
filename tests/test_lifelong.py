"""The lifelong loop: curriculum -> ... -> learn, with real memory and the real sandbox.

FrozenLake (deterministic) is the world, ``ScriptedChatModel`` the test-double controller
and ``HashingEmbedder`` the test-double embedder; Chroma, SQLite and the sandbox are real.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver

from agentkit import AgentRuntime, Controller
from agentkit.curriculum import (
    AutoCurriculum,
    ListCurriculum,
    RandomCurriculum,
    make_curriculum,
)
from agentkit.default_plugins.gymnasium_env import GymnasiumEnvironment
from agentkit.graph import build_lifelong_graph
from agentkit.memory import Skill, open_memory
from agentkit.nodes.learn import make_learn
from agentkit.testing import HashingEmbedder, ScriptedChatModel

PATH_TO_GOAL = ["down", "down", "right", "right", "down", "right"]


def plan(*subgoals: str) -> str:
    return json.dumps({"subgoals": list(subgoals)})


def act(name: str, argument: str | None = None) -> str:
    return json.dumps({"action": name, "argument": argument, "reason": ""})


def lifelong(tmp_path: Path, replies: list[str], tasks: list[str], **options):
    skills, episodes = open_memory(tmp_path / "home", HashingEmbedder())
    runtime = AgentRuntime(
        env=GymnasiumEnvironment("FrozenLake-v1", is_slippery=False),
        controller=Controller(ScriptedChatModel(replies=replies)),
        skills=skills,
        episodes=episodes,
        curriculum=ListCurriculum(tasks),
        run_id="test-run",
        workdir=tmp_path,
        **options,
    )
    records: list[dict] = []
    TASK_RECORDS[id(runtime)] = records
    return runtime, records


# the task records a runtime's runs stream (the ``learn`` events), by runtime
TASK_RECORDS: dict[int, list[dict]] = {}


def consume(graph, inputs, thread, runtime: AgentRuntime, on_step=None) -> None:
    """Stream the graph as the run engine does: task records from ``learn`` events."""
    for event in graph.stream(inputs, thread, stream_mode="custom"):
        if event["event"] == "learn":
            TASK_RECORDS.setdefault(id(runtime), []).append(event["record"])
        elif event["event"] == "step" and on_step is not None:
            on_step(event["record"])


def run_graph(
    runtime: AgentRuntime, iterations: int, checkpoints: Path | None = None, on_step=None
):
    conn = sqlite3.connect(checkpoints or ":memory:", check_same_thread=False)
    graph = build_lifelong_graph(runtime).compile(checkpointer=SqliteSaver(conn))
    thread = {"configurable": {"thread_id": "t"}, "recursion_limit": 500}
    inputs = {"iterations": iterations, "seed": 0, "step": 0, "env_steps": 0}
    consume(graph, inputs, thread, runtime, on_step)
    return graph.get_state(thread).values


def test_a_verified_success_becomes_a_skill_that_a_later_task_reuses(tmp_path):
    replies = [plan("reach the goal"), *[act(m) for m in PATH_TO_GOAL]]
    # second task: the recalled skill is offered as a choice and chosen
    replies += [plan("use what worked"), act("skill:reach_the_goal")]
    runtime, records = lifelong(tmp_path, replies, ["reach the goal", "reach the goal again"])
    final = run_graph(runtime, iterations=2)

    assert [r["task"] for r in records] == ["reach the goal", "reach the goal again"]
    assert [r["success"] for r in records] == [True, True]
    assert records[0]["skill"] == "reach_the_goal@v1"
    assert records[1]["skills_used"] == ["reach_the_goal"]
    skill = runtime.skills.get("reach_the_goal")
    assert skill.successes == 2  # learned once, then counted again when it ran as a step
    assert "act('down', None)" in skill.code
    # the second world is a fresh one: the first ended at the goal
    assert final["seed"] == 1 and final["world_start"] == 6
    assert final["completed"] == ["reach the goal", "reach the goal again"]
    # the reuse itself became a (composed) skill that calls the first one
    composed = runtime.skills.get("reach_the_goal_again")
    assert "reach_the_goal()" in composed.code
    # episodes are written, the successful one is recalled as a reference plan
    episode = runtime.episodes.get("test-run:0")
    assert episode.success is True and episode.plan == ["reach the goal"]
    assert final["references"] and "reach the goal" in final["references"][0]


def test_a_skill_run_as_a_step_is_judged_by_its_run_and_the_tasks_own_by_the_task(tmp_path):
    runtime, _ = lifelong(tmp_path, [], ["reach the goal"])
    verified = [{"success": True, "source": "environment", "critique": ""}]
    for name in ("walk_right", "walk_down", "reach_the_goal"):
        runtime.skills.add(
            Skill(
                name=name,
                description=name,
                code=f"def {name}(): pass\n",
                verdicts=verified,
                successes=1,
            )
        )
    learn = make_learn(runtime)
    failed = {"success": False, "source": "environment", "critique": "out of steps"}
    actions = [
        ["skill:walk_right", None, True],
        ["skill:walk_down", None, False],
        ["skill:reach_the_goal", None, True],
    ]
    learn(
        {
            "task": "reach the goal",
            "task_actions": actions,
            "success": False,
            "verdict": failed,
            "seed": 0,
            "step": 0,
            "env_steps": 0,
        }
    )
    counts = {
        name: (s.successes, s.failures, len(s.verdicts))
        for name in ("walk_right", "walk_down", "reach_the_goal")
        if (s := runtime.skills.get(name)) is not None
    }
    # the task failed: its own skill counts a failure with the verdict; the steps count
    # their own runs (walk_right worked, walk_down did not) and take no verdict
    assert counts == {"walk_right": (2, 0, 1), "walk_down": (1, 1, 1), "reach_the_goal": (1, 1, 2)}


def test_a_failed_attempt_is_remembered_and_teaches_no_skill(tmp_path):
    replies = [plan("walk"), act("left"), act("up"), act("left")]
    runtime, records = lifelong(tmp_path, replies, ["reach the goal"], task_steps=3)
    final = run_graph(runtime, iterations=1)
    assert records[0]["success"] is not True and records[0]["skill"] is None
    assert runtime.skills.list() == []
    assert runtime.episodes.get("test-run:0").success is not True
    assert final["failed"] == ["reach the goal"] and final["finished"] is True


def test_without_verification_every_attempt_is_accepted_unverified(tmp_path):
    replies = [plan("walk"), act("right"), act("right")]
    runtime, records = lifelong(tmp_path, replies, ["reach the goal"], task_steps=2, verify=False)
    run_graph(runtime, iterations=1)
    assert records[0]["accepted"] is True and records[0]["truth"] is False
    skill = runtime.skills.get("reach_the_goal")
    assert skill is not None and skill.verdicts[0]["source"] in ("unverified", "none")


THE_WAY = "['down', 'down', 'right', 'right', 'down', 'right']"  # FrozenLake 4x4, start to goal


def run_program(tmp_path, program):
    """One code-mode attempt at "reach the goal" whose program is ``program``."""
    replies = [plan("reach the goal"), json.dumps({"code": program})]
    runtime, records = lifelong(tmp_path, replies, ["reach the goal"], mode="code")
    run_graph(runtime, iterations=1)
    return runtime, records


def test_code_mode_runs_the_program_in_the_sandbox_and_learns_it(tmp_path):
    program = f"def run():\n    for move in {THE_WAY}:\n        act(move)\n    return True\n"
    runtime, records = run_program(tmp_path, program)
    assert records[0]["success"] is True and records[0]["steps"] == 1
    skill = runtime.skills.get("reach_the_goal")
    assert skill.code.startswith("def reach_the_goal():")


def test_a_program_may_ask_what_is_held(tmp_path):
    """``holding(item)`` is bound for programs (skills that carry prerequisites call it),
    so the static check does not send a program that calls it back for repair."""
    program = (
        "def run():\n"
        "    if holding('key') == 0:\n"  # FrozenLake states no holdings: 0 of anything
        f"        for move in {THE_WAY}:\n"
        "            act(move)\n"
        "    return True\n"
    )
    _, records = run_program(tmp_path, program)
    assert records[0]["success"] is True and records[0]["llm_calls"] == 2


def test_code_mode_errors_come_back_with_line_numbers(tmp_path):
    broken = "def run():\n    x = 1\n    return undefined_name\n"
    fixed = "def run():\n    return act('down')['ok']\n"
    replies = [plan("go"), json.dumps({"code": broken}), json.dumps({"code": fixed})]
    runtime, _ = lifelong(tmp_path, replies, ["reach the goal"], mode="code", task_steps=2)
    run_graph(runtime, iterations=1)
    second_prompt = runtime.controller.model.prompts[2][-1].content
    assert "line 3" in second_prompt and "undefined_name" in second_prompt


def test_a_killed_lifelong_run_resumes_where_it_stopped(tmp_path):
    replies = [plan("reach the goal"), *[act(m) for m in PATH_TO_GOAL]]
    runtime, records = lifelong(tmp_path, replies, ["reach the goal"])

    calls = {"n": 0}

    def crash_on_fourth_step(record):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt

    checkpoints = tmp_path / "cp.sqlite"
    with pytest.raises(KeyboardInterrupt):
        run_graph(runtime, iterations=1, checkpoints=checkpoints, on_step=crash_on_fourth_step)
    # a new process would rebuild the runtime: same env, a fresh world to be replayed
    runtime.observation = None
    conn = sqlite3.connect(checkpoints, check_same_thread=False)
    graph = build_lifelong_graph(runtime).compile(checkpointer=SqliteSaver(conn))
    thread = {"configurable": {"thread_id": "t"}, "recursion_limit": 500}
    consume(graph, None, thread, runtime)
    final = graph.get_state(thread).values
    assert final["success"] is True and final["step"] == 6
    assert records[-1]["task"] == "reach the goal" and records[-1]["success"] is True


def test_curricula_choose_open_tasks_and_random_is_reproducible(tmp_path):
    tasks = ["a", "b", "c"]
    listed = ListCurriculum(tasks)
    assert listed.next_task([], [], "", None, 0)[0] == "a"
    assert listed.next_task(["a"], ["b"], "", None, 1)[0] == "c"  # move on before retrying
    assert listed.next_task(["a", "c"], ["b"] * 3, "", None, 2)[0] is None  # given up
    offered: list[list[str]] = []

    class Proposer:  # test double of the controller: records the candidates, takes the last
        def next_task(self, candidates, completed, failed, percept):
            offered.append(list(candidates))
            return SimpleNamespace(task=candidates[-1]), None, None

    auto = AutoCurriculum(["a", "b", "c", "d"], window=2)
    assert auto.next_task([], [], "", Proposer(), 0)[0] == "b"
    assert auto.next_task([], ["b"], "", Proposer(), 1)[0] == "a"  # only a: no call
    assert auto.next_task(["a"], ["b"], "", Proposer(), 2)[0] == "d"  # b waits for c, d
    assert auto.next_task(["a", "c", "d"], ["b"], "", Proposer(), 3)[0] == "b"  # retried
    assert offered == [["a", "b"], ["c", "d"]]
    draws = [RandomCurriculum(tasks, seed=3).next_task([], [], "", None, i)[0] for i in range(6)]
    again = [RandomCurriculum(tasks, seed=3).next_task([], [], "", None, i)[0] for i in range(6)]
    assert draws == again and set(draws) <= set(tasks)
    file = tmp_path / "tasks.txt"
    file.write_text("# warm-up\ncollect wood\n\nplace table\n")
    assert make_curriculum(str(file), []).tasks == ["collect wood", "place table"]
    with pytest.raises(ValueError, match="task suite"):
        make_curriculum("auto", [])
