"""The check behind "every action is valid" (tests/trajectory_checks.py) can fail.

A real Crafter run (the scripted test double picks from the listed actions) passes it; the
same records, doctored one step at a time, fail it and name the step.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from agentkit_crafter import CrafterEnvironment
from langchain_core.messages import BaseMessage
from trajectory_checks import (
    episode_problems,
    prompt_actions,
    prompt_options,
    run_problems,
    step_problems,
)

from agentkit import RunConfig, start_run
from agentkit.environment import ActionSpec
from agentkit.testing import ScriptedChatModel

STEPS = 10
SEED = 0


def _reply(messages: Sequence[BaseMessage]) -> str:
    """Select mode: the n-th listed action (n counts the act prompts), its first choice."""
    text = str(messages[-1].content)
    if "\nActions:\n" in f"\n{text}":
        actions = prompt_actions(text)
        assert actions
        _reply.calls += 1  # type: ignore[attr-defined]
        name = list(actions)[_reply.calls % len(actions)]  # type: ignore[attr-defined]
        choices = actions[name]
        argument = choices[0] if choices else None
        return json.dumps({"action": name, "argument": argument, "reason": "scripted"})
    if "sub-goals" in text:
        return json.dumps({"subgoals": ["explore"]})
    return json.dumps({"success": False, "critique": "scripted"})


_reply.calls = 0  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    home = tmp_path_factory.mktemp("home")
    config = RunConfig(env="crafter", max_steps=STEPS, seed=SEED, knowledge=False)
    result = start_run(config, home=home, model=ScriptedChatModel(default=_reply))
    lines = (result.folder / "trajectory.jsonl").read_text().splitlines()
    return result.folder, [json.loads(line) for line in lines]


def _world_at(records: list[dict[str, Any]], index: int, **options: Any) -> CrafterEnvironment:
    """Crafter as it was before step ``index`` (0-based), rebuilt from the raw actions."""
    env = CrafterEnvironment(render=False, **options)
    env.reset(seed=SEED)
    env.replay([raw for record in records[:index] for raw in record["raw_actions"]])
    return env


def _rewrite(folder: Path, records: list[dict[str, Any]], tmp_path: Path) -> Path:
    doctored = tmp_path / "run"
    doctored.mkdir()
    (doctored / "run.json").write_text((folder / "run.json").read_text())
    (doctored / "trajectory.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return doctored


def test_the_real_run_passes_and_every_step_is_checked(run) -> None:
    folder, records = run
    assert len(records) == STEPS
    assert len({(r["action"], r["argument"]) for r in records}) >= 3  # not one action 10 times
    assert all(prompt_actions(r["prompt"]) for r in records)  # each step's prompt was read
    assert run_problems(folder) == (STEPS, [])


def test_an_action_the_world_masked_at_that_moment_fails(run, tmp_path) -> None:
    folder, records = run
    index = 4
    masked = {s.name for s in _world_at(records, index, mask=False).actions()}
    offered = {s.name for s in _world_at(records, index).actions()}
    name = "place_table"  # a Crafter action, masked without wood in the inventory
    assert name in masked and name not in offered
    doctored = copy.deepcopy(records)
    doctored[index].update(action=name, argument=None)  # raw_actions unchanged: same world
    steps, problems = run_problems(_rewrite(folder, doctored, tmp_path))
    assert steps == STEPS
    assert problems[0].startswith(f"step {index + 1}: 'place_table' was not offered")
    assert all(p.startswith(f"step {index + 1}:") for p in problems), problems


def test_an_argument_the_world_did_not_offer_fails(run, tmp_path) -> None:
    folder, records = run
    for index, record in enumerate(records):
        offered = {s.name: s for s in _world_at(records, index).actions()}
        spec = offered[record["action"]]
        unmasked = {s.name: s for s in _world_at(records, index, mask=False).actions()}
        extra = sorted(set(unmasked[spec.name].choices or []) - set(spec.choices or []))
        if spec.choices and extra:
            break
    else:
        pytest.fail("no step took an argument the mask narrowed")
    doctored = copy.deepcopy(records)
    doctored[index]["argument"] = extra[0]
    _, problems = run_problems(_rewrite(folder, doctored, tmp_path))
    assert problems[0].startswith(
        f"step {index + 1}: {spec.name} {spec.argument} {extra[0]!r} was not offered"
    ), problems


def test_a_prompt_that_offered_what_the_world_did_not_fails(run, tmp_path) -> None:
    folder, records = run
    doctored = copy.deepcopy(records)
    doctored[2]["prompt"] = re.sub(
        r"^Actions:\n", "Actions:\n- place_table: place a table\n", records[2]["prompt"], flags=re.M
    )
    assert doctored[2]["prompt"] != records[2]["prompt"]
    _, problems = run_problems(_rewrite(folder, doctored, tmp_path))
    assert problems == ["step 3: the prompt offered 'place_table', the world did not"]


def test_an_action_the_prompt_did_not_offer_fails(run) -> None:
    _, records = run
    record = copy.deepcopy(records[0])
    listed = prompt_actions(record["prompt"]) or {}
    assert "noop" in listed  # a raw action the world always offers
    record["prompt"] = record["prompt"].replace("\n- noop: ", "\n- noop_: ")
    world = _world_at(records, 0).actions()
    record.update(action="noop", argument=None)
    problems = step_problems(record, world)
    assert "step 1: 'noop' ran but the prompt offered" in problems[0]


def test_a_reply_that_chose_another_action_fails(run) -> None:
    _, records = run
    record = copy.deepcopy(records[0])
    other = next(
        name for name in prompt_actions(record["prompt"]) or {} if name != record["action"]
    )
    record["reply"] = json.dumps({"action": other, "argument": None, "reason": "x"})
    problems = step_problems(record, _world_at(records, 0).actions())
    assert problems == [f"step 1: {record['action']!r} ran but the reply was {record['reply']!r}"]


def test_replaying_another_seed_finds_steps_that_were_not_offered(run) -> None:
    """The check follows the world: the same records against another seed's world fail."""
    _, records = run
    env = CrafterEnvironment(render=False)
    problems = episode_problems(env, SEED + 1, records)
    assert problems, "the same steps were offered in another world: the check ignores it"


SPECS = [
    ActionSpec(name="collect", description="d", argument="target", choices=["tree", "water"]),
    ActionSpec(name="noop", description="d", kind="raw"),
    ActionSpec(name="say", description="d", argument="text"),
]


def _record(**fields: Any) -> dict[str, Any]:
    return {"step": 7, "argument": None, "prompt": "", "reply": "", **fields}


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"action": "collect", "argument": "tree"}, None),
        ({"action": "noop"}, None),
        ({"action": "say", "argument": "hello"}, None),
        ({"action": "program"}, None),  # its primitives are checked by the sandbox's bridge
        ({"action": "collect", "argument": "stone"}, "step 7: collect target 'stone' was not"),
        ({"action": "collect"}, "step 7: collect target None was not offered"),
        ({"action": "noop", "argument": "x"}, "step 7: noop takes no argument, got 'x'"),
        ({"action": "say"}, "step 7: say needs a text, got None"),
        ({"action": "jump"}, "step 7: 'jump' was not offered; the world offered"),
        (
            {"action": "collect", "argument": "tree", "label": "get wood", "options": ["a"]},
            "step 7: option 'get wood' is not among ['a']",
        ),
    ],
)
def test_each_kind_of_invalid_step_is_named(fields: dict[str, Any], problem: str | None) -> None:
    problems = step_problems(_record(**fields), SPECS)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problems[0].startswith(problem), problems


KNOWLEDGE_PROMPT = (
    "Rules:\n- x\nYou see:\n- a tree\nOptions:\n- collect wood: for w\n- sleep: for s\n"
)


def assert_problem(record: dict[str, Any], problem: str | None) -> None:
    """``record`` has no problem (``problem`` None) or exactly one, starting so."""
    problems = step_problems(record, SPECS)
    if problem is None:
        assert problems == []
    else:
        assert len(problems) == 1 and problems[0].startswith(problem), problems


@pytest.mark.parametrize(
    ("reply", "label", "problem"),
    [
        ("collect wood", "collect wood", None),
        ("eat cow", "collect wood", "step 7: the reply chose 'eat cow', not one of"),
        ("sleep", "collect wood", "step 7: the reply chose 'sleep' but 'collect wood' ran"),
    ],
)
def test_knowledge_mode_replies_are_checked_against_the_options(
    reply: str, label: str, problem: str | None
) -> None:
    assert prompt_options(KNOWLEDGE_PROMPT) == ["collect wood", "sleep"]
    record = _record(
        action="collect",
        argument="tree",
        label=label,
        options=["collect wood", "sleep"],
        prompt=KNOWLEDGE_PROMPT,
        reply=json.dumps({"option": reply}),
    )
    assert_problem(record, problem)


SKILL_PROMPT = KNOWLEDGE_PROMPT + "- skill:get_wood: a learned skill: get wood\n"


@pytest.mark.parametrize(
    ("reply", "options", "problem"),
    [
        ("skill:get_wood", ["collect wood", "sleep", "skill:get_wood"], None),
        ("sleep", ["collect wood", "sleep", "skill:get_wood"],
         "step 7: the reply chose 'sleep' but 'skill:get_wood' ran"),
        ("skill:get_wood", ["collect wood", "skill:get_wood"], "step 7: the prompt offered"),
    ],
)  # fmt: skip
def test_a_skill_chosen_among_the_rules_steps_is_checked_against_the_options(
    reply: str, options: list[str], problem: str | None
) -> None:
    assert prompt_options(SKILL_PROMPT) == ["collect wood", "sleep", "skill:get_wood"]
    record = _record(
        action="skill:get_wood",
        argument=None,
        kind="skill",
        options=options,
        prompt=SKILL_PROMPT,
        reply=json.dumps({"option": reply}),
    )
    assert_problem(record, problem)


def test_prompt_lines_with_skills_and_free_text_parse() -> None:
    prompt = (
        "Task: t\nActions:\n- goto(target: tree|water): walk\n- noop: nothing\n"
        "- say(text: text): speak\n- skill:get_wood: a learned skill: wood\n"
        "Current sub-goal: s\n"
    )
    assert prompt_actions(prompt) == {
        "goto": ["tree", "water"],
        "noop": [],
        "say": None,
        "skill:get_wood": [],
    }
    assert prompt_actions("no list here") is None
