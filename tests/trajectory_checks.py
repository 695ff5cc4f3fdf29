"""The check behind "every action is valid": each recorded step against what was offered.

A run's trajectory records each step's action, its argument, the raw actions it pressed and
the prompt the model read. ``run_problems`` rebuilds the run's world (same environment,
options and seed), replays the recorded raw actions up to each step and compares the step
with what the environment listed at that moment (``actions()``; for Crafter that list is
the action mask: no ``make`` without materials, ``interact`` only with what is adjacent).
It also checks that the model chose from its own prompt: the action (select mode) or the
option (knowledge mode) is one the prompt listed, and every action the prompt listed is one
the world offered. It returns one line per problem, so a test asserts ``== []`` and a
failure names the step; ``tests/test_trajectory_checks.py`` shows it failing on doctored
records.

Programs and skills (``program``, ``skill:<name>``) are not checked against the list: their
primitives are checked by the sandbox's own bridge, call by call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

from agentkit.environment import ActionSpec, Environment
from agentkit.steps import StepRecord, parse_label

# ``- name(arg: a|b): description`` or ``- name: description`` (agentkit.controller.act)
_SPEC_LINE = re.compile(r"^(?P<name>[^\s(]+?)(?:\((?P<arg>\w+): (?P<choices>[^)]*)\))?: ")


def listed(prompt: str, header: str, last: bool = False) -> list[str] | None:
    """The ``- ...`` lines right after the (first, or ``last``) line ``header``, without
    the ``- ``, or None when the prompt has no such line."""
    lines = prompt.splitlines()
    starts = [i for i, line in enumerate(lines) if line == header]
    if not starts:
        return None
    found = []
    for line in lines[starts[-1 if last else 0] + 1 :]:
        if not line.startswith("- "):
            break
        found.append(line[2:])
    return found


def prompt_actions(prompt: str) -> dict[str, list[str] | None] | None:
    """Select mode: the prompt's ``Actions:`` list as name -> choices ([] when the action
    takes no argument, None for free text), or None when the prompt has no such list."""
    lines = listed(prompt, "Actions:")  # before the percept
    if lines is None:
        return None
    actions: dict[str, list[str] | None] = {}
    for line in lines:
        match = _SPEC_LINE.match(line)
        if match is None:
            raise ValueError(f"not an action line: {line!r}")
        choices = match["choices"]
        actions[match["name"]] = (
            [] if match["arg"] is None else None if choices == "text" else choices.split("|")
        )
    return actions


def prompt_options(prompt: str) -> list[str] | None:
    """Knowledge mode: the labels of the prompt's ``Options:`` list, or None."""
    lines = listed(prompt, "Options:", last=True)  # after the percept
    return None if lines is None else [line.split(": ", 1)[0] for line in lines]


def reply_json(reply: str) -> dict[str, Any] | None:
    """The JSON object a reply holds (the first one, when text surrounds it), or None."""
    start = reply.find("{")
    if start < 0:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(reply[start:])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _composed(shown: str) -> bool:
    """A program or a skill, as the prompt shows it (``program``, ``skill:<name>``)."""
    return parse_label(shown)[0] in ("program", "skill")


def step_problems(
    record: dict[str, Any], offered: Sequence[ActionSpec], tools: Collection[str] = ()
) -> list[str]:
    """What is wrong with one recorded step, given the actions the world listed before it
    (``tools``: names of the run's tools, which the prompt lists beside the world's)."""
    typed = StepRecord.from_line(record)
    decision = typed.decision
    step, name, argument = typed.step, decision.action, decision.argument
    where = f"step {step}"
    world = {spec.name: spec for spec in offered}
    problems = []
    if decision.kind not in ("program", "skill") and name not in tools:
        spec = world.get(name)
        if spec is None:
            problems.append(f"{where}: {name!r} was not offered; the world offered {sorted(world)}")
        elif spec.argument is None and argument is not None:
            problems.append(f"{where}: {name} takes no argument, got {argument!r}")
        elif spec.argument is not None and spec.choices is not None:
            if argument not in spec.choices:
                problems.append(
                    f"{where}: {name} {spec.argument} {argument!r} was not offered; "
                    f"the world offered {spec.choices}"
                )
        elif spec.argument is not None and not isinstance(argument, str):
            problems.append(f"{where}: {name} needs a {spec.argument}, got {argument!r}")
    if record.get("label") is not None:  # knowledge mode: a step the rules offered now
        options = list(record.get("options") or [])
        if record["label"] not in options:
            problems.append(f"{where}: option {record['label']!r} is not among {options}")
    prompt = str(record.get("prompt") or "")
    # A fallback step's reply was refused: the fallback is checked against the world only.
    reply = None if record.get("fallback") else reply_json(str(record.get("reply") or ""))
    shown = prompt_options(prompt)
    if shown is not None:
        chosen = (reply or {}).get("option")
        if record.get("fallback"):
            pass
        elif chosen not in shown:
            problems.append(f"{where}: the reply chose {chosen!r}, not one of {shown}")
        elif record.get("label") is not None and chosen != record["label"]:
            problems.append(f"{where}: the reply chose {chosen!r} but {record['label']!r} ran")
        elif record.get("kind") == "skill" and chosen != record.get("action"):
            problems.append(f"{where}: the reply chose {chosen!r} but {record['action']!r} ran")
        offered = record.get("label") is not None or record.get("kind") == "skill"
        recorded = record.get("options") or []
        if offered and set(shown) != set(recorded):
            problems.append(f"{where}: the prompt offered {shown}, the record {recorded}")
    actions = prompt_actions(prompt)
    if actions is not None:
        if not record.get("fallback") and name not in actions:
            problems.append(f"{where}: {name!r} ran but the prompt offered {sorted(actions)}")
        elif not record.get("fallback") and (reply or {}).get("action") != name:
            problems.append(f"{where}: {name!r} ran but the reply was {record.get('reply')!r}")
        for shown_name, choices in actions.items():
            if _composed(shown_name) or shown_name in tools:
                continue
            spec = world.get(shown_name)
            if spec is None:
                problems.append(f"{where}: the prompt offered {shown_name!r}, the world did not")
            elif choices and spec.choices is not None and not set(choices) <= set(spec.choices):
                extra = sorted(set(choices) - set(spec.choices))
                problems.append(
                    f"{where}: the prompt offered {shown_name} {extra}, the world did not"
                )
    return problems


def episode_problems(
    env: Environment, seed: int, records: Iterable[dict[str, Any]], tools: Collection[str] = ()
) -> list[str]:
    """Replay one episode from ``seed``: each step against ``env.actions()`` at its moment."""
    problems: list[str] = []
    raw: list[Any] = []
    env.reset(seed=seed)
    for record in records:
        problems += step_problems(record, env.actions(), tools)
        raw += list(record.get("raw_actions") or [])
        env.reset(seed=seed)
        env.replay(raw)
    return problems


def run_problems(folder: Path) -> tuple[int, list[str]]:
    """``(steps checked, problems)`` for a run folder of ``agentkit run``.

    The world is rebuilt from ``run.json`` (environment, options, seed; episode ``k`` starts
    from ``seed + k``, as the runner does) with frames off, which changes nothing in it.
    """
    from agentkit.environments import make_environment
    from agentkit.plugins import get_registry

    config = json.loads((folder / "run.json").read_text())["config"]
    lines = (folder / "trajectory.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    episodes: dict[int, list[dict[str, Any]]] = {}
    for record in records:
        episodes.setdefault(int(record.get("episode", 0)), []).append(record)
    options = dict(config.get("env_options") or {})
    if config["env"].partition(":")[0] == "crafter":
        options["render"] = False
    registry = get_registry()
    tools = {tool.name for tool in registry.tools}
    env = make_environment(config["env"], registry, **options)
    problems = []
    try:
        for episode, steps in sorted(episodes.items()):
            problems += episode_problems(env, int(config["seed"]) + episode, steps, tools)
    finally:
        env.close()
    return len(records), problems
