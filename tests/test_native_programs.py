"""Code mode with a world that runs programs in its own language (as Minecraft runs JS).

``FrozenLakeWithScriptedJs`` is a test double: FrozenLake (deterministic) whose "JavaScript"
is only the lines ``await move(bot, "down");`` and calls of skills, interpreted by regex.
It stands in for the Minecraft bridge so the core's routing is tested without Node.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from agentkit.default_plugins.gymnasium_env import GymnasiumEnvironment
from agentkit.environment import StepResult
from tests.test_lifelong import PATH_TO_GOAL, act, lifelong, plan, run_graph

_MOVE = re.compile(r'await move\(bot, "(\w+)"\);')
_CALL = re.compile(r"await (\w+)\(bot\);")


class FrozenLakeWithScriptedJs(GymnasiumEnvironment):
    program_language = "javascript"

    def __init__(self) -> None:
        super().__init__("FrozenLake-v1", is_slippery=False)
        self.programs: list[tuple[str, str, dict[str, str]]] = []

    def program_functions(self, skills: Sequence[dict[str, Any]]) -> list[str]:
        return ['await move(bot, "down"|"up"|"left"|"right")'] + [
            f"await {s['name']}(bot) // {s['description']}" for s in skills
        ]

    def example_program(self) -> str:
        return 'async function run(bot) {\n  await move(bot, "down");\n  return true;\n}\n'

    def check_program(self, code: str) -> list[str]:  # (recalled skills are not tested here)
        return [f"unknown function {name}" for name in _CALL.findall(code)]

    def run_program(self, code: str, entry: str, skills: dict[str, str]) -> StepResult:
        self.programs.append((code, entry, dict(skills)))
        result = None
        raw: list[Any] = []
        for line in self._expand(code, skills):
            result = self.step(line)
            raw += result.raw_actions
        assert result is not None
        return result.model_copy(update={"raw_actions": raw, "feedback": "program ran"})

    def _expand(self, code: str, skills: dict[str, str]) -> list[str]:
        moves: list[str] = []
        for line in code.splitlines():
            if match := _MOVE.search(line):
                moves.append(match.group(1))
            elif (match := _CALL.search(line)) and match.group(1) in skills:
                moves += self._expand(skills[match.group(1)], skills)
        return moves

    def skill_code(self, name: str, description: str, steps: Sequence[Sequence[Any]]) -> str:
        body = "".join(f'  await move(bot, "{step[0]}");\n' for step in steps)
        return f"async function {name}(bot) {{\n  // {description}\n{body}  return true;\n}}\n"


def _program(moves: Sequence[str]) -> str:
    body = "".join(f'  await move(bot, "{m}");\n' for m in moves)
    return f"async function run(bot) {{\n{body}  return true;\n}}\n"


def native_lifelong(tmp_path, replies, tasks, **options):
    runtime, records = lifelong(tmp_path, replies, tasks, **options)
    runtime.env = FrozenLakeWithScriptedJs()
    return runtime, records


def test_code_mode_asks_for_the_worlds_language_and_the_world_runs_it(tmp_path):
    replies = [plan("reach the goal"), json.dumps({"code": _program(PATH_TO_GOAL)})]
    runtime, records = native_lifelong(tmp_path, replies, ["reach the goal"], mode="code")
    run_graph(runtime, iterations=1)

    prompt = runtime.controller.model.prompts[1][-1].content
    assert "JavaScript function run()" in prompt and 'await move(bot, "down"' in prompt
    assert records[0]["success"] is True
    code, entry, _ = runtime.env.programs[0]
    assert entry == "run" and 'await move(bot, "right")' in code
    skill = runtime.skills.get("reach_the_goal")
    assert skill.language == "javascript"
    assert skill.code.startswith("async function reach_the_goal(bot) {")


def test_the_worlds_static_check_sends_problems_back_before_anything_runs(tmp_path):
    broken = "async function run(bot) {\n  await fly(bot);\n}\n"
    replies = [plan("go"), json.dumps({"code": broken}), json.dumps({"code": _program(["down"])})]
    runtime, _ = native_lifelong(tmp_path, replies, ["reach the goal"], mode="code", task_steps=1)
    run_graph(runtime, iterations=1)
    repair = runtime.controller.model.prompts[2][-1].content
    assert "unknown function fly" in repair
    assert [p[0] for p in runtime.env.programs] == [_program(["down"])]  # the broken one never ran


def test_select_mode_skills_are_written_by_the_world_and_run_there(tmp_path):
    replies = [plan("reach the goal"), *[act(m) for m in PATH_TO_GOAL]]
    replies += [plan("again"), act("skill:reach_the_goal")]
    tasks = ["reach the goal", "reach the goal again"]
    runtime, records = native_lifelong(tmp_path, replies, tasks)
    run_graph(runtime, iterations=2)

    skill = runtime.skills.get("reach_the_goal")
    assert skill.language == "javascript" and skill.code.count("await move(bot") == 6
    assert [r["success"] for r in records] == [True, True]
    code, entry, skills = runtime.env.programs[0]
    assert entry == "reach_the_goal" and code == skill.code and "reach_the_goal" not in skills
