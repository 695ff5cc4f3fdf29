"""observe: carry the chosen action out and record the result.

An action is a world action, a tool call, a learned skill (``skill:<name>``) or, in code
mode, a program; skills and programs run in the sandbox and step the world from there.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from agentkit.nodes._events import emit
from agentkit.nodes.act import choice_key, current_subgoal
from agentkit.runtime import AgentRuntime
from agentkit.sandbox.record import step_sandbox
from agentkit.state import AgentState, Node, llm_totals


def _run_tool(runtime: AgentRuntime, name: str, argument: str | None) -> tuple[bool, str]:
    tool = next(t for t in runtime.tools if t.name == name)
    try:
        return True, str(tool.invoke(argument or ""))[:500]
    except Exception as error:
        return False, f"tool {name} failed: {type(error).__name__}: {error}"


def skill_source(runtime: AgentRuntime, name: str) -> str | None:
    """The latest code of the skill ``name``, for programs that call it."""
    if runtime.skills is None:
        return None
    skill = runtime.skills.get(name)
    return skill.code if skill is not None else None


_Ran = tuple[bool, str, float, bool, list[str], list[Any], dict[str, Any]]


def _run_program(runtime: AgentRuntime, code: str, entry: str, skills: list[str]) -> _Ran:
    """Run a program or skill; the last item is the step's ``sandbox`` record."""
    if runtime.env.program_language != "python":
        return _run_native(runtime, code, entry, skills)
    from agentkit.programs import run_code

    run = run_code(
        runtime.env,
        code,
        entry=entry,
        lookup=lambda name: skill_source(runtime, name),
        workdir=runtime.workdir or Path.cwd(),
        limits=runtime.sandbox_limits,
    )
    if run.observation is not None:
        runtime.observation = run.observation
    runtime.applied += len(run.raw_actions)
    sandbox = step_sandbox(run.isolation)
    return run.ok, run.feedback, run.reward, run.done, run.events, run.raw_actions, sandbox


def _run_native(runtime: AgentRuntime, code: str, entry: str, skills: list[str]) -> _Ran:
    """A program in the world's own language: the environment runs it, skills in scope."""
    sources = {name: source for name in skills if (source := skill_source(runtime, name))}
    sources.pop(entry, None)
    result = runtime.env.run_program(code, entry, sources)
    runtime.observation = result.observation
    runtime.applied += len(result.raw_actions)
    return (
        result.ok,
        result.feedback,
        result.reward,
        result.done,
        list(result.events),
        list(result.raw_actions),
        step_sandbox((result.info or {}).get("sandbox")),  # the environment says how it ran
    )


def make_observe(runtime: AgentRuntime) -> Node:
    def observe(state: AgentState) -> dict[str, Any]:
        runtime.sync(dict(state))
        action = state.get("action") or {"action": "noop", "argument": None}
        name, argument = action["action"], action.get("argument")
        started = time.perf_counter()
        raw: list[Any] = []
        info: dict[str, Any] = {}
        events: list[str]
        recalled = [str(s["name"]) for s in state.get("skills") or []]
        sandbox: dict[str, Any] | None = None
        if any(t.name == name for t in runtime.tools):
            ok, feedback = _run_tool(runtime, name, argument)
            reward, done, events = 0.0, False, []
        elif name == "program":
            ok, feedback, reward, done, events, raw, sandbox = _run_program(
                runtime, str(action.get("code", "")), "run", recalled
            )
        elif name.startswith("skill:"):
            skill = name.removeprefix("skill:")
            code = skill_source(runtime, skill)
            if code is None:
                ok, feedback, reward, done, events = False, f"no skill {skill}", 0.0, False, []
            else:
                ok, feedback, reward, done, events, raw, sandbox = _run_program(
                    runtime, code, skill, recalled
                )
        else:
            result = runtime.env.step(name, argument)
            runtime.observation = result.observation
            raw = list(result.raw_actions)
            runtime.applied += len(raw)
            ok, feedback = result.ok, result.feedback
            reward, done, events, info = result.reward, result.done, result.events, result.info
        env_seconds = time.perf_counter() - started
        step = state.get("step", 0) + 1
        # The raw actions go to the runtime's action log, not the checkpointed state: the
        # state keeps their count, so a checkpoint does not grow with the run.
        runtime.record(state.get("env_steps", 0), raw)
        env_steps = state.get("env_steps", 0) + len(raw)
        record = {
            "step": step,
            "env_steps": env_steps,
            "action": name,
            "argument": argument,
            "reason": action.get("reason", ""),
            "kind": action.get("kind", ""),
            "fallback": bool(action.get("fallback")),
            "ok": ok,
            "feedback": feedback,
            "reward": reward,
            "done": done,
            "events": events,
            "raw_actions": raw,
            "subgoal": current_subgoal(state),
            "env_seconds": round(env_seconds, 5),
            "info": info,
            "iteration": state.get("iteration", 0),
            "task": state.get("task", ""),
            "prompt": action.get("prompt", ""),
            "reply": action.get("reply", ""),
        }
        if name == "program":
            record["code"] = action.get("code", "")
        if action.get("label"):  # knowledge mode: the rule's step and what was on offer
            record["label"] = action["label"]
            record["options"] = action.get("options", [])
        if sandbox is not None:
            record["sandbox"] = sandbox
        totals = llm_totals(state.get("llm"))
        record["llm_calls"] = int(totals.get("calls", 0))
        record["llm_seconds"] = round(totals.get("latency_s", 0), 4)
        record["llm_tokens"] = int(totals["tokens"])
        emit("step", record=record)  # the run engine records it (agentkit.runs.engine)
        shown = choice_key(action)
        task_actions = [*state.get("task_actions", []), [name, argument, ok]]
        update_program = {"program": action.get("code", "")} if name == "program" and ok else {}
        return {
            **update_program,
            # the prompt and reply are in the trajectory: checkpoints need not carry them
            "action": {k: v for k, v in action.items() if k not in ("prompt", "reply")},
            "task_actions": task_actions[-40:],
            "step": step,
            "env_steps": env_steps,
            "reward": state.get("reward", 0.0) + reward,
            "outcome": {
                "ok": ok,
                "feedback": feedback,
                "done": done,
                "events": events,
                "reward": reward,
                "presses": len(raw),  # raw actions applied: 0 means the world did not move
            },
            "history": [
                f"{shown}: {'ok' if ok else 'failed'}{' - ' + feedback if feedback else ''}"
            ],
        }

    return observe
