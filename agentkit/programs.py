"""Programs and skills as code: how they are written, bound to the world and run.

A skill is a Python function over the environment's actions (``goto("tree")``,
``interact("tree")``, or the generic ``act(name, argument)``) and ``holding(item)`` (what
the world says is held now). Select mode writes one from the actions that completed a
task; code mode has the controller write ``run()``. Either
way the code runs in :mod:`agentkit.sandbox`'s subprocess while the world stays here: each
call in the program steps the environment in this process and returns a small dict.
"""

from __future__ import annotations

import keyword
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentkit.environment import ActionSpec, Environment
from agentkit.knowledge import Prerequisite
from agentkit.steps import parse_label

__all__ = [
    "ProgramRun",
    "example_program",
    "function_listing",
    "function_name",
    "run_code",
    "skill_code_from_actions",
    "unknown_calls",
    "with_skill_sources",
]

_CALL = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(")


def function_name(text: str) -> str:
    """A Python identifier for a skill named after its task ("collect wood" -> collect_wood)."""
    name = re.sub(r"[^0-9a-zA-Z]+", "_", text.strip().lower()).strip("_")[:60] or "skill"
    if name[0].isdigit() or keyword.iskeyword(name):
        name = f"skill_{name}"
    return name


def function_listing(specs: Sequence[ActionSpec], skills: Sequence[dict[str, Any]]) -> list[str]:
    """The functions a program may call, one line each, as the controller is shown them."""
    lines = []
    for spec in specs:
        if not spec.name.isidentifier():
            continue
        if spec.argument:
            choices = "|".join(spec.choices or []) or "text"
            lines.append(f"{spec.name}({spec.argument}) # {spec.description}; {choices}")
        else:
            lines.append(f"{spec.name}() # {spec.description}")
    lines.append("act(name, argument=None) # any action by name")
    lines += [f"{s['name']}() # learned skill: {s['description']}" for s in skills]
    return lines


def example_program(specs: Sequence[ActionSpec]) -> str:
    """A one-call ``run()`` over the first real action: what a small model copies is runnable."""
    for spec in specs:
        if spec.name.isidentifier():
            argument = f'"{spec.choices[0]}"' if spec.argument and spec.choices else ""
            call = f"{spec.name}({argument})"
            return f"def run():\n    result = {call}\n    return result['ok']\n"
    return "def run():\n    return act('noop')['ok']\n"


_BUILTIN_CALLS = frozenset(
    "abs all any bool dict divmod enumerate filter float int isinstance len list max min "
    "print range reversed round set sorted str sum tuple zip".split()
)


def unknown_calls(code: str, known: Iterable[str]) -> list[str]:
    """Functions the program calls that are neither given, defined by it, nor builtins.

    Caught before running, so the repair prompt can name the functions that do exist.
    """
    defined = set(re.findall(r"\bdef\s+([A-Za-z_][A-Za-z0-9_]*)", code))
    allowed = set(known) | defined | _BUILTIN_CALLS
    # method calls (result.get(...)) are not function names
    called = re.findall(r"(?<![.\w])([A-Za-z_][A-Za-z0-9_]*)\s*\(", code)
    return sorted({name for name in called if name not in allowed and not keyword.iskeyword(name)})


def skill_code_from_actions(
    name: str,
    description: str,
    steps: Iterable[Sequence[Any]],
    needs: Sequence[Sequence[Prerequisite]] = (),
) -> str:
    """Select mode's skill: the successful choices of a task, replayed in order.

    Learned skills called along the way stay calls, so an improved version of one is
    picked up by every skill that uses it. ``needs[i]`` (from
    :func:`agentkit.knowledge.prerequisites`) is what step ``i`` needs that no step before
    it gave: before the step, the skill that gets each runs while too little is held.
    """
    body = []
    for index, (choice, argument, ok) in enumerate(steps):
        if not ok or choice in ("noop", "program"):
            continue
        if index < len(needs) and needs[index]:
            body.append(_prerequisite_guard(needs[index]))
        kind, skill = parse_label(str(choice))
        if kind == "skill":
            body.append(f"    if not {skill}():\n        return False")
        else:
            body.append(f"    if not act({choice!r}, {argument!r})['ok']:\n        return False")
    summary = description.replace('"""', "'")
    return f'def {name}():\n    """{summary}"""\n' + "\n".join(body) + "\n    return True\n"


def _prerequisite_guard(needs: Sequence[Prerequisite]) -> str:
    """Code that runs the skill for the first thing missing, until nothing is (bounded:
    getting one thing may spend another, and a skill may succeed without giving it)."""
    rounds = 2 * sum(need.count for need in needs) + 2
    lines = [f"    for _ in range({rounds}):  # what the next step needs, got by learned skills"]
    for position, need in enumerate(needs):
        keyword = "if" if position == 0 else "elif"
        lines.append(f"        {keyword} holding({need.item!r}) < {need.count}:")
        lines.append(f"            ok = {need.skill}()")
    lines += ["        else:", "            break"]
    lines += ["        if not ok:", "            return False"]
    return "\n".join(lines)


def with_skill_sources(code: str, lookup: Callable[[str], str | None]) -> tuple[str, int]:
    """``code`` preceded by the source of every skill it calls, transitively.

    Returns the full source and the number of lines prepended, so errors can be reported
    at the program's own line numbers.
    """
    sources: dict[str, str] = {}
    pending = [code]
    while pending:
        for called in _CALL.findall(pending.pop()):
            if called in sources:
                continue
            source = lookup(called)
            if source:
                sources[called] = source
                pending.append(source)
    prefix = "\n\n".join(reversed(list(sources.values())))
    if not prefix:
        return code, 0
    prefix += "\n\n"
    return prefix + code, prefix.count("\n")


@dataclass
class ProgramRun:
    """What running a program did to the world."""

    ok: bool
    feedback: str
    raw_actions: list[Any] = field(default_factory=list)
    reward: float = 0.0
    done: bool = False
    events: list[str] = field(default_factory=list)
    calls: int = 0
    observation: Any = None
    isolation: dict[str, Any] = field(default_factory=dict)
    """The sandbox layers the program ran under (``ProgramResult.isolation``)."""


def _bind(env: Environment, run: ProgramRun) -> dict[str, Callable[..., Any]]:
    def act(name: str, argument: Any = None) -> dict[str, Any]:
        if run.done:
            raise RuntimeError("the episode is over")
        result = env.step(str(name), None if argument is None else str(argument))
        run.observation = result.observation
        run.raw_actions += list(result.raw_actions)
        run.reward += result.reward
        run.done = run.done or result.done
        run.events += result.events
        run.calls += 1
        return {
            "ok": result.ok,
            "feedback": result.feedback,
            "reward": result.reward,
            "events": list(result.events),
            "done": result.done,
        }

    def holding(item: str) -> int:
        """How many of ``item`` the world says is held (or near, for a station) now."""
        return int(env.holdings().get(str(item), 0))

    primitives: dict[str, Callable[..., Any]] = {"act": act, "holding": holding}
    for name in action_names(env):
        if name.isidentifier() and name not in ("act", "holding"):
            primitives[name] = lambda argument=None, _n=name: act(_n, argument)
    return primitives


def action_names(env: Environment) -> list[str]:
    """Every action a program may call: those listed now and, when the world states its
    rules, every action a rule uses (a program runs on while the action mask changes)."""
    names = [spec.name for spec in env.actions()]
    knowledge = env.knowledge()
    if knowledge is not None:
        names += sorted({rule.action for rule in knowledge.rules} - set(names))
    return names


def run_code(
    env: Environment,
    code: str,
    *,
    entry: str,
    lookup: Callable[[str], str | None],
    workdir: Any,
    limits: Any = None,
) -> ProgramRun:
    """Run ``code`` (with the skills it calls) in the sandbox, stepping ``env`` here.

    The program gets a fresh empty folder of its own under ``workdir`` (the only place the
    sandbox lets it write), removed afterwards.  Raises ``SandboxUnavailable`` when the OS
    layers cannot be applied and the user has not opted out.
    """
    from agentkit.sandbox import run_program

    source, offset = with_skill_sources(code, lookup)
    run = ProgramRun(ok=False, feedback="")
    base = Path(workdir)
    base.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="program-", dir=base) as folder:
        result = run_program(source, _bind(env, run), entry=entry, workdir=Path(folder),
                             limits=limits)
    run.isolation = result.isolation
    run.ok = bool(result.ok)
    if result.ok:
        failed = sum(1 for call in result.calls if call.get("error"))
        value = "" if result.value is None else f", returned {result.value!r}"[:80]
        run.feedback = f"program ran: {run.calls} actions{value}" + (
            f", {failed} raised" if failed else ""
        )
        if result.value is False:
            run.ok = False
            run.feedback += " (it reported failure)"
    else:
        error = result.error
        if result.line is not None and offset:
            line = result.line - offset
            where = f"line {line}" if line > 0 else "inside a skill it called"
            error = re.sub(r"^line \d+", where, error)
        run.feedback = f"program failed after {run.calls} actions: {error}"[:400]
    return run
