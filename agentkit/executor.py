"""The executor: carries out a :class:`~agentkit.steps.Decision`, whatever its kind.

``raw`` and ``primitive`` actions step the world; a ``tool`` is invoked with the argument
as its input; a ``skill`` (its latest code from the skill library) and a ``program`` (code
mode) run in the sandbox, or in the world's own language when the world runs programs
itself (Minecraft's JavaScript), and step the world from there. Every kind returns the
same :class:`~agentkit.steps.Outcome`; the runtime's observation and applied-action count
follow the world.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agentkit.runtime import AgentRuntime
from agentkit.sandbox.record import step_sandbox
from agentkit.steps import Decision, Outcome

__all__ = ["execute", "run_tool", "skill_source"]


def execute(runtime: AgentRuntime, decision: Decision, skills: Sequence[str] = ()) -> Outcome:
    """Carry ``decision`` out; ``skills`` are the recalled skills a program may call."""
    if decision.kind == "tool":
        ok, feedback = run_tool(runtime, decision.name, decision.argument)
        return Outcome(ok=ok, feedback=feedback)
    if decision.kind == "program":
        return _run_program(runtime, decision.code, "run", skills)
    if decision.kind == "skill":
        code = skill_source(runtime, decision.name)
        if code is None:
            return Outcome(ok=False, feedback=f"no skill {decision.name}")
        return _run_program(runtime, code, decision.name, skills)
    result = runtime.env.step(decision.name, decision.argument)
    return _followed(runtime, result, info=dict(result.info))


def run_tool(runtime: Any, name: str, argument: str | None) -> tuple[bool, str]:
    """Invoke ``runtime``'s tool ``name`` with ``argument`` as its input: (ok, feedback)."""
    tool = next((t for t in runtime.tools if t.name == name), None)
    if tool is None:
        return False, f"no tool {name}"
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


def _run_program(runtime: AgentRuntime, code: str, entry: str, skills: Sequence[str]) -> Outcome:
    """Run a program or a skill's code from its function ``entry``."""
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
    return _followed(runtime, run, sandbox=step_sandbox(run.isolation))


def _run_native(runtime: AgentRuntime, code: str, entry: str, skills: Sequence[str]) -> Outcome:
    """A program in the world's own language: the environment runs it, skills in scope."""
    sources = {name: source for name in skills if (source := skill_source(runtime, name))}
    sources.pop(entry, None)
    result = runtime.env.run_program(code, entry, sources)
    # the world says how it ran the program
    return _followed(runtime, result, sandbox=step_sandbox((result.info or {}).get("sandbox")))


def _followed(runtime: AgentRuntime, result: Any, **extra: Any) -> Outcome:
    """The :class:`Outcome` of a world step or a program run (a ``StepResult`` or a
    ``ProgramResult``: both carry ok, feedback, reward, done, events and raw actions), with
    the runtime's observation and applied-action count moved along with the world."""
    if result.observation is not None:  # a program that failed before it ran has none
        runtime.observation = result.observation
    runtime.applied += len(result.raw_actions)
    return Outcome(
        ok=result.ok,
        feedback=result.feedback,
        reward=result.reward,
        done=result.done,
        events=list(result.events),
        raw_actions=list(result.raw_actions),
        **extra,
    )
