"""decide: the controller picks the next action, constrained to what is available now.

Select mode chooses a primitive, a tool or a recalled skill; code mode asks for a program
``run()`` composing the primitives and recalled skills (run by the execute node).
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable
from typing import Any

import numpy as np
from PIL import Image

from agentkit.approval import wants_approval
from agentkit.environment import ActionSpec
from agentkit.nodes.choose import choose_step, knowledge_brief, knowledge_of
from agentkit.nodes.reuse import reusable_skill
from agentkit.runtime import AgentRuntime
from agentkit.state import AgentState, Node
from agentkit.steps import Decision, as_kind, parse_label, skill_label


def tool_specs(tools: list[Any]) -> list[ActionSpec]:
    """LangChain tools as actions: one free-text argument, the tool's input."""
    return [
        ActionSpec(
            name=tool.name, description=tool.description[:120], argument="input", kind="tool"
        )
        for tool in tools
    ]


def skill_specs(skills: list[dict[str, Any]]) -> list[ActionSpec]:
    """Recalled skills as choices, offered as ``skill:<name>``: they run the skill's program."""
    return [
        ActionSpec(
            name=skill_label(str(s["name"])), description=str(s["description"])[:100], kind="skill"
        )
        for s in skills
    ]


def chosen_spec(spec: ActionSpec, argument: str | None, reason: str) -> Decision:
    """The decision to carry out ``spec`` (as offered to the model) with ``argument``."""
    kind = as_kind(spec.kind)
    name = parse_label(spec.name)[1] if kind == "skill" else spec.name
    return Decision(kind=kind, name=name, argument=argument, reason=reason)


def choice_key(action: dict[str, Any]) -> str:
    """``name`` or ``name(argument)``, or a knowledge step's own name (``collect wood``):
    how a choice (the state's ``action``) is named in history and in ``blocked``."""
    return Decision.from_fields(action).key


def without_blocked(specs: list[ActionSpec], blocked: list[str]) -> list[ActionSpec]:
    """The specs minus choices that just failed, so a retry cannot repeat them.

    Constrained decoding makes this binding; it is what turns feedback into a different
    choice for models too small to read the feedback. Never empties the list.
    """
    if not blocked:
        return specs
    kept = []
    for spec in specs:
        if spec.name in blocked:
            continue
        if spec.choices:
            choices = [c for c in spec.choices if f"{spec.name}({c})" not in blocked]
            if not choices:
                continue
            spec = spec.model_copy(update={"choices": choices})
        kept.append(spec)
    return kept or specs


_STOP_WORDS = frozenset("a an the of to for with and in on at from by some more".split())


def _stem(word: str) -> str:
    """The word without a plural ending: "sticks" -> "stick", "torches" -> "torch"."""
    if word.endswith("es") and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and len(word) > 3:
        return word[:-1]
    return word


def _stems(text: str) -> set[str]:
    """The stems of the words of ``text``, stop words left out."""
    return {_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP_WORDS}


def by_relevance(specs: list[ActionSpec], goal: str, task: str = "") -> list[ActionSpec]:
    """Actions and choices the ``goal`` (the sub-goal) names first, then those the ``task``
    names, the rest in their own order.

    A small model favours the options it reads first. Nothing is taken away: the order is a
    hint, and a hint is not enough for a model that copies its recent actions (SmolLM2-135M,
    told to "craft sticks" with ``stick`` listed first, still crafted crafting tables;
    what cannot help is the world's to mask, as Minecraft's choices do).
    """
    wanted, also = _stems(goal), _stems(task)
    if not wanted and not also:
        return specs

    def score(name: str) -> tuple[int, int]:
        stems = _stems(name.replace("_", " "))
        return (-len(stems & wanted), -len(stems & also))

    ordered = []
    for spec in specs:
        if spec.choices:
            spec = spec.model_copy(update={"choices": sorted(spec.choices, key=score)})
        ordered.append(spec)
    return sorted(ordered, key=lambda spec: score(spec.name))


def frame_png_b64(runtime: AgentRuntime) -> str | None:
    """The observation's ``rgb`` image as base64 PNG, for vision-capable chat models."""
    image = runtime.observation.images.get("rgb") if runtime.observation else None
    if image is None:
        return None
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def current_subgoal(state: AgentState) -> str:
    plan = state.get("plan") or []
    index = state.get("subgoal", 0)
    return plan[index] if index < len(plan) else state.get("task", "")


def make_decide(runtime: AgentRuntime) -> Node:
    def decide(state: AgentState) -> dict[str, Any]:
        update = decision(state)
        if not state.get("approve") and wants_approval(runtime.approve):
            # Kept in the thread's state before execute pauses: a resume whose config no
            # longer says ``approve`` (servers do not carry a run's configurable over to
            # the next run) must still review, or the verdict would be ignored.
            update["approve"] = True
        return update

    def decision(state: AgentState) -> dict[str, Any]:
        runtime.sync(dict(state))
        reused = reusable_skill(runtime, state)
        if reused is not None:  # the task's own verified skill: no model call
            return {"action": reused.fields()}
        if runtime.mode == "code":
            return _write_program(runtime, state)
        knowledge = knowledge_of(runtime)
        if knowledge is not None:
            return choose_step(runtime, state, knowledge)
        available = (
            runtime.env.actions()
            + tool_specs(runtime.tools)
            + skill_specs(state.get("skills") or [])
        )
        specs = by_relevance(
            without_blocked(available, state.get("blocked", [])),
            current_subgoal(state),
            state.get("task", ""),
        )
        decided = runtime.controller.act(
            task=state.get("task", ""),
            subgoal=current_subgoal(state),
            percept=state.get("percept", ""),
            specs=specs,
            history=state.get("history", []),
            feedback=state.get("feedback", ""),
            fallback_action=getattr(runtime.env, "fallback_action", "noop"),
            image_png_b64=frame_png_b64(runtime) if runtime.controller.image_blocks else None,
        )
        action = decided.value
        spec = next(spec for spec in specs if spec.name == action.action)
        chosen = chosen_spec(spec, action.argument, action.reason).model_copy(
            update={
                "fallback": decided.fell_back,
                "prompt": decided.prompt,
                "reply": decided.reply,
            }
        )
        return {"action": chosen.fields(), "llm": {"decide": decided.stats.as_dict()}}

    return decide


def _write_program(runtime: AgentRuntime, state: AgentState) -> dict[str, Any]:
    env = runtime.env
    skills = state.get("skills") or []
    if env.program_language == "python":
        functions, check, fallback_code, example = _python_program_parts(runtime, skills)
    else:  # the world runs its own language (Minecraft: JavaScript next to mineflayer)
        functions, check = env.program_functions(skills), env.check_program
        fallback_code = example = env.example_program()
    knowledge = knowledge_of(runtime)
    brief = ""
    if knowledge is not None:
        brief, first_call = knowledge_brief(runtime, state, knowledge)
        if first_call and env.program_language == "python":
            # The shape a small model copies is then the rules' own first step.
            example = f"def run():\n    result = {first_call}\n    return result['ok']\n"
    brief += _skill_example(runtime, skills)
    decided = runtime.controller.program(
        task=state.get("task", ""),
        subgoal=current_subgoal(state),
        percept=state.get("percept", ""),
        functions=functions,
        feedback=state.get("feedback", ""),
        check=check,
        fallback_code=fallback_code,
        example=example,
        language=env.program_language,
        knowledge=brief,
    )
    chosen = Decision(
        kind="program",
        name="program",
        code=decided.value.code,
        fallback=decided.fell_back,
        prompt=decided.prompt,
        reply=decided.reply,
    )
    return {"action": chosen.fields(), "llm": {"decide": decided.stats.as_dict()}}


def _skill_example(runtime: AgentRuntime, skills: list[dict[str, Any]]) -> str:
    """The code of the most relevant verified skill, shown as an example (Voyager)."""
    if not skills or runtime.skills is None:
        return ""
    skill = runtime.skills.get(str(skills[0]["name"]))
    if skill is None:
        return ""
    return (
        f"\nA verified skill for a similar task (call {skill.name}() or write like it):\n"
        f"{skill.code.strip()}"
    )


def _python_program_parts(
    runtime: AgentRuntime, skills: list[dict[str, Any]]
) -> tuple[list[str], Callable[[str], list[str]], str, str]:
    """Listing, static check, fallback and example for programs run in the Python sandbox."""
    from agentkit.programs import action_names, example_program, function_listing, unknown_calls
    from agentkit.sandbox import check_program

    specs = runtime.env.actions()
    known = action_names(runtime.env) + [s["name"] for s in skills] + ["act", "holding"]
    fallback = getattr(runtime.env, "fallback_action", "noop")

    def check(code: str) -> list[str]:
        problems = check_program(code, runtime.sandbox_limits)
        unknown = unknown_calls(code, known)
        if unknown:
            problems.append(
                f"unknown function {unknown[0]}(); call only: {', '.join(sorted(set(known)))}"
            )
        return problems

    fallback_code = f"def run():\n    return act({fallback!r})['ok']\n"
    return function_listing(specs, skills), check, fallback_code, example_program(specs)
