"""learn: after a task attempt, grow the skill library and write the episode.

On a verified success the task's program becomes a skill (a new name, or a new version of
an existing one); skills the attempt used get their success or failure counted (the task's
own skill by the task's outcome, a skill run as one step of another task by its own runs:
a drink skill that worked is no failure because the iron hunt around it failed); the
attempt is written to episodic memory either way, so later plans can reuse what worked.
With verification off (an ablation) every attempt is accepted unverified, which is how
wrong skills get into a library. In knowledge mode a skill written from the attempt's
steps carries its prerequisites: what a step needs that the attempt found already held
is got first by the learned skill for it (``agentkit.knowledge.prerequisites``), so the
skill works from an empty inventory as Voyager's do.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from typing import Any

from agentkit.executor import skill_source
from agentkit.knowledge import (
    Knowledge,
    Prerequisite,
    Rule,
    Unreachable,
    chain_for_rule,
    prerequisites,
)
from agentkit.nodes._events import emit
from agentkit.nodes.choose import knowledge_of
from agentkit.programs import function_name, skill_code_from_actions, with_skill_sources
from agentkit.runtime import AgentRuntime
from agentkit.state import AgentState, Node, llm_totals
from agentkit.steps import parse_label

__all__ = ["make_learn"]


def _skill_code(state: AgentState, runtime: AgentRuntime, name: str) -> str | None:
    """The code that completed the task, as a function called ``name``; None if nothing ran."""
    native = runtime.env.program_language != "python"
    if runtime.mode == "code":
        program = state.get("program") or ""
        if not program or re.search(rf"\b{name}\s*\(", program):
            return None
        definition = r"\bfunction\s+run\s*\(" if native else r"\bdef run\("
        keyword = "function" if native else "def"
        return re.sub(definition, f"{keyword} {name}(", program, count=1)
    useful = _useful_steps(state)
    if not useful or any(parse_label(str(a[0])) == ("skill", name) for a in useful):
        return None  # nothing done, or done by the skill itself: only its counts change
    if native:
        return runtime.env.skill_code(name, state.get("task", ""), useful)
    needs = _prerequisites_of(runtime, name, useful)
    return skill_code_from_actions(name, state.get("task", ""), useful, needs)


def _useful_steps(state: AgentState) -> list[Sequence[Any]]:
    """The attempt's steps that did something: succeeded, and neither waited nor ran a
    whole program."""
    actions = state.get("task_actions") or []
    return [a for a in actions if a[2] and a[0] not in ("noop", "program")]


def _rule_of(knowledge: Knowledge, action: Sequence[Any]) -> Rule | None:
    """The rule a recorded step carried out: a skill's by its name, else by action and
    argument."""
    kind, name = parse_label(str(action[0]))
    if kind == "skill":
        return next((r for r in knowledge.rules if function_name(r.name) == name), None)
    argument = None if action[1] is None else str(action[1])
    return next((r for r in knowledge.rules if r.action == name and r.argument == argument), None)


def _skill_for(runtime: AgentRuntime, knowledge: Knowledge, item: str, own: str) -> str | None:
    """A verified, mostly successful learned skill named for a rule that gives ``item``,
    which does not call the skill ``own`` being written (no loop)."""
    assert runtime.skills is not None
    for rule in knowledge.givers(item):
        name = function_name(rule.name)
        skill = runtime.skills.get(name) if name != own else None
        if skill is None or not skill.verified or skill.failures >= skill.successes:
            continue
        source, _ = with_skill_sources(f"{name}()", lambda n: skill_source(runtime, n))
        if not re.search(rf"\bdef {own}\(", source):
            return name
    return None


def _prerequisites_of(
    runtime: AgentRuntime, name: str, steps: Sequence[Sequence[Any]]
) -> list[list[Prerequisite]]:
    """What each of the skill's steps needs that no step before it gave, with the learned
    skill that gets it (``agentkit.knowledge.prerequisites``): only where the world states
    its rules and knowledge mode is on, since the rules say what a step needs."""
    knowledge = knowledge_of(runtime)
    if knowledge is None or runtime.skills is None:
        return []
    rules = [_rule_of(knowledge, step) for step in steps]
    return prerequisites(knowledge, rules, lambda item: _skill_for(runtime, knowledge, item, name))


def _add_skill(
    runtime: AgentRuntime,
    name: str,
    description: str,
    code: str,
    verdict: dict[str, Any],
    episode: str,
) -> str:
    """Add a skill that worked once to the library (a new name or a new version); its
    ``name@vN``."""
    from agentkit.memory import Skill

    assert runtime.skills is not None
    stored = runtime.skills.add(
        Skill(
            name=name,
            description=description,
            code=code,
            language=runtime.env.program_language,
            environment=runtime.env.name,
            verdicts=[verdict],
            successes=1,
            episode=episode,
            created=time.time(),
        )
    )
    return f"{stored.name}@v{stored.version}"


def _sub_goal_skills(state: AgentState, runtime: AgentRuntime, own: str, episode: str) -> list[str]:
    """Add a skill for each goal of the world the attempt reached on its way (a step whose
    rule counts as an achievement the world now reports met) that the library has none
    for; return them as ``name@vN``. GITM keeps what reached each sub-goal. Only the task
    got a skill before: an attempt at an iron pickaxe that made the table and a wood
    pickaxe on its way, then died, left nothing, and the next attempt, from an empty
    inventory, did those steps again one agent step each. Each skill replays the
    attempt's steps up to that goal that are on the rules' chain to it (a drink on the
    way is left out), with its prerequisites (``agentkit.knowledge.prerequisites``);
    knowledge mode's Python skills only, since the rules say which steps those are."""
    knowledge = knowledge_of(runtime)
    if knowledge is None or runtime.skills is None or runtime.mode == "code":
        return []
    if runtime.env.program_language != "python":
        return []
    useful = _useful_steps(state)
    rules = [_rule_of(knowledge, step) for step in useful]
    added = []
    for index, rule in enumerate(rules):
        if rule is None or not rule.achievement:
            continue
        name = function_name(rule.name)
        if name == own or runtime.skills.get(name) is not None:
            continue
        if not runtime.env.check(rule.achievement):
            continue  # the world does not count it (the attempt died since, say)
        try:
            on_chain = {step.rule.name for step in chain_for_rule(knowledge, rule, {})}
        except Unreachable:
            continue
        steps = [
            step
            for step, done in zip(useful[: index + 1], rules[: index + 1], strict=True)
            if done is not None and done.name in on_chain
        ]
        description = rule.name.replace("_", " ")
        code = skill_code_from_actions(
            name, description, steps, _prerequisites_of(runtime, name, steps)
        )
        verdict = {"success": True, "source": "world", "reached on the way to": own}
        added.append(_add_skill(runtime, name, description, code, verdict, episode))
    return added


def _frames(runtime: AgentRuntime, first: int, last: int) -> list[str]:
    if runtime.workdir is None:
        return []
    paths = [f"frames/ep0/{step:06d}.png" for step in range(first, last + 1)]
    return [p for p in paths if (runtime.workdir / p).is_file()]


def make_learn(runtime: AgentRuntime) -> Node:
    def learn(state: AgentState) -> dict[str, Any]:
        from agentkit.memory import Episode

        runtime.sync(dict(state))
        task, iteration = state.get("task", ""), state.get("iteration", 0)
        started = state.get("task_started") or {}
        totals = llm_totals(state.get("llm"))
        verdict = dict(state.get("verdict") or {})
        verified = state.get("success") is True
        accepted = verified or not runtime.verify
        actions = state.get("task_actions") or []
        episode_id = f"{runtime.run_id}:{iteration}"
        skill_runs: dict[str, list[bool]] = {}  # each skill the attempt ran: its runs' results
        for action in actions:
            kind, name = parse_label(str(action[0]))
            if kind == "skill":
                skill_runs.setdefault(name, []).append(bool(action[2]))
        used = sorted(skill_runs)
        learned = None
        if runtime.skills is not None:
            own = function_name(task)
            for name in used:
                skill = runtime.skills.get(name)
                if skill is None:
                    continue
                if name == own:  # the task's own skill: judged by the task
                    runtime.skills.record_outcome(name, skill.version, accepted, verdict or None)
                else:  # one step of another task: judged by its own runs, not the task's end
                    runtime.skills.record_outcome(name, skill.version, all(skill_runs[name]))
            name = own
            code = _skill_code(state, runtime, name) if accepted else None
            if code is not None:
                judged = verdict or {"success": None, "source": "unverified"}
                learned = _add_skill(runtime, name, task, code, judged, episode_id)
        on_the_way = _sub_goal_skills(state, runtime, function_name(task), episode_id)
        step = state.get("step", 0)
        first = int(started.get("step", 0))
        record = {
            "iteration": iteration,
            "task": task,
            "success": state.get("success"),
            "accepted": accepted,
            "truth": runtime.env.check(task),
            "steps": step - first,
            "llm_calls": int(totals.get("calls", 0) - started.get("calls", 0)),
            "tokens": int(totals.get("tokens", 0) - started.get("tokens", 0)),
            "wall_s": round(time.time() - started.get("time", time.time()), 3),
            "skill": learned,
            "skills_used": used,
            "skills_on_the_way": on_the_way,
            "critique": verdict.get("critique", ""),
            "env": runtime.env.metrics(),
        }
        if runtime.episodes is not None:
            runtime.episodes.add(
                Episode(
                    id=episode_id,
                    run_id=runtime.run_id,
                    iteration=iteration,
                    environment=runtime.env.name,
                    task=task,
                    plan=list(state.get("plan") or []),
                    actions=[
                        f"{a[0]}({a[1]}): {'ok' if a[2] else 'failed'}"
                        if a[1]
                        else f"{a[0]}: {'ok' if a[2] else 'failed'}"
                        for a in actions
                    ],
                    success=state.get("success") if runtime.verify else None,
                    critique=verdict.get("critique", ""),
                    metrics={k: record[k] for k in ("steps", "llm_calls", "tokens", "truth")},
                    frames=_frames(runtime, first + 1, step),
                    skill=learned,
                    created=time.time(),
                )
            )
        # the run engine writes ``record`` to iterations.jsonl (agentkit.runs.engine)
        summary = {k: record[k] for k in ("iteration", "task", "success", "skill")}
        emit("learn", **summary, record=record)
        completed = list(state.get("completed") or [])
        failed = list(state.get("failed") or [])
        if accepted:
            completed.append(task)
        else:
            failed.append(task)
        return {"completed": completed, "failed": failed}

    return learn
