"""Where a step's time goes: environment, LLM, perception, and the framework around them.

A run goes through the real harness (:func:`agentkit.start_run`); the ``progress`` callback
stamps the end of every step. For the interval between two stamps: environment time is the
time spent in the environment's methods (the world step, and also the actions on offer,
checks, rules and the frame, which the adapter computes), LLM time is the growth of the
cumulative
``llm_seconds`` (every model call in that interval: critique, plan, act, including
LangChain's invoke wrapper), perception is the time the registered perceivers took (each is
a model of its own: OCR, speech), and the framework is the rest: node dispatch and
checkpoint writes, prompt building, validation, the action log, trajectory and frame files,
observer hooks. The first step of each episode is left out because it includes the world
reset.

The framework's share is reported twice: of this run's own step (with the scripted test
double the framework is most of it) and of the step of a reference model (``local`` by
default), measured with the same harness, which is what a user's step costs.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.messages import BaseMessage

from agentkit.environment import Environment, Observation
from agentkit.plugins import Registry, get_registry
from agentkit.runs.single import RunConfig, start_run
from agentkit.steps import StepRecord, as_step

__all__ = [
    "SCRIPTED_NOTE",
    "TimedPerceiver",
    "measure_overhead",
    "scripted_model",
    "scripted_policy",
    "split",
    "time_environment",
]

SCRIPTED_NOTE = (
    "scripted = the ScriptedChatModel test double with a fixed policy (a hash of the prompt "
    "picks an action): it isolates the framework's cost and is not an agent"
)
MAX_RUNS = 20
_ACTION_LINE = re.compile(r"^- (\w+)(?:\((\w+): ([^)]*)\))?: ", re.MULTILINE)


def scripted_policy(messages: Sequence[BaseMessage]) -> str:
    """A deterministic reply to the controller's plan, act and critique prompts."""
    text = str(messages[-1].content)
    if "Break the task into" in text:
        return json.dumps({"subgoals": ["explore", "collect wood"]})
    if "Was the sub-goal achieved" in text:
        return json.dumps({"success": False, "reasoning": "scripted", "critique": ""})
    listed = text.split("Actions:\n", 1)[-1].split("\nCurrent sub-goal", 1)[0]
    options: list[tuple[str, str | None]] = []
    for name, _argument, choices in _ACTION_LINE.findall(listed):
        if not choices:
            options.append((name, None))
        else:
            options.extend((name, c) for c in choices.split("|") if c != "text")
    if not options:
        return json.dumps({"action": "noop", "argument": None, "reason": "scripted"})
    digest = int(hashlib.sha256(text.encode()).hexdigest(), 16)
    name, argument = options[digest % len(options)]
    return json.dumps({"action": name, "argument": argument, "reason": "scripted"})


def scripted_model() -> Any:
    """The test double answering with :func:`scripted_policy` (imported only when asked for)."""
    from agentkit.testing import ScriptedChatModel

    return ScriptedChatModel(default=scripted_policy)


PARTS = ("step", "env", "llm", "perception", "framework")
ENV_METHODS = (
    "step",
    "actions",
    "check",
    "knowledge",
    "holdings",
    "goals_in",
    "run_program",
    "frame",
    "metrics",
)
"""The environment methods whose time counts as the environment's (reset and replay come
before an episode's first step, which is not timed)."""


def time_environment(env: Environment, clock: list[float]) -> Environment:
    """Make ``env`` add the seconds its :data:`ENV_METHODS` take to ``clock[0]``."""

    def timed(method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                clock[0] += time.perf_counter() - started

        return call

    for name in ENV_METHODS:
        setattr(env, name, timed(getattr(env, name)))  # on the instance: its class is kept
    return env


class TimedPerceiver:
    """A perceiver that adds the seconds it takes to ``clock[0]`` (shared by all of them)."""

    def __init__(self, inner: Any, clock: list[float]) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", type(inner).__name__)
        self.clock = clock

    def perceive(self, observation: Observation) -> Any:
        started = time.perf_counter()
        try:
            return self.inner.perceive(observation)
        finally:
            self.clock[0] += time.perf_counter() - started

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def split(
    stamps: list[float],
    records: Sequence[StepRecord | dict[str, Any]],
    perception: list[float] | None = None,
    environment: list[float] | None = None,
) -> dict[str, list[float]]:
    """Per-step seconds (from the second step on) split into env, llm, perception, framework.

    ``perception`` and ``environment`` are the perceivers' and the environment's cumulative
    seconds at each stamp; without ``environment`` the record's ``env_seconds`` (the world
    step alone) is the environment's time.
    """
    parts: dict[str, list[float]] = {part: [] for part in PARTS}
    steps = [as_step(record) for record in records]
    for i in range(1, len(steps)):
        step = stamps[i] - stamps[i - 1]
        if environment:
            env = environment[i] - environment[i - 1]
        else:
            env = steps[i].env_seconds
        llm = steps[i].llm_seconds - steps[i - 1].llm_seconds
        seen = perception[i] - perception[i - 1] if perception else 0.0
        parts["step"].append(step)
        parts["env"].append(env)
        parts["llm"].append(llm)
        parts["perception"].append(seen)
        # rounding of env_seconds and llm_seconds can dip the rest below 0
        parts["framework"].append(max(step - env - llm - seen, 0.0))
    return parts


def _stats(values: list[float]) -> dict[str, float]:
    if not values:
        return {"median": 0.0, "p95": 0.0, "mean": 0.0, "total": 0.0}
    array = np.asarray(values)
    return {
        "median": round(float(np.median(array)), 5),
        "p95": round(float(np.percentile(array, 95)), 5),
        "mean": round(float(array.mean()), 5),
        "total": round(float(array.sum()), 4),
    }


def _timed_registry(registry: Registry, perception: list[float], env: list[float]) -> Registry:
    """``registry`` with its perceivers and environments timed into the two clocks."""

    def timed_factory(factory: Callable[..., Any]) -> Callable[..., Any]:
        return lambda *args, **kwargs: time_environment(factory(*args, **kwargs), env)

    return replace(
        registry,
        perceivers=[TimedPerceiver(p, perception) for p in registry.perceivers],
        environments={
            name: replace(named, factory=timed_factory(named.factory))
            for name, named in registry.environments.items()
        },
    )


def _time_steps(
    model_name: str,
    model: Any,
    steps: int,
    out: Path,
    registry: Registry,
    *,
    env: str,
    env_options: dict[str, Any],
    seed: int,
    durability: str,
    fsync: bool,
    prefix: str,
) -> tuple[dict[str, list[float]], int, list[str]]:
    """Run episodes until ``steps`` steps are timed; the split, steps run and run folders."""
    parts: dict[str, list[float]] = {part: [] for part in PARTS}
    runs: list[str] = []
    timed = 0
    perception, in_env = [0.0], [0.0]
    timed_registry = _timed_registry(registry, perception, in_env)
    # An episode can end early (the player dies): go on with the next seed until ``steps``.
    while timed < steps and len(runs) < MAX_RUNS:
        config = RunConfig(
            env=env,
            model=model_name,
            max_steps=steps - timed,
            seed=seed + len(runs),
            env_options=env_options,
            durability=durability,
            fsync=fsync,
        )
        stamps: list[float] = []
        seen: list[float] = []
        stepped: list[float] = []
        records: list[dict[str, Any]] = []

        def on_step(
            _episode: int,
            record: dict[str, Any],
            stamps: list[float] = stamps,
            seen: list[float] = seen,
            stepped: list[float] = stepped,
            records: list[dict[str, Any]] = records,
        ) -> None:
            stamps.append(time.perf_counter())
            seen.append(perception[0])
            stepped.append(in_env[0])
            records.append(record)

        result = start_run(
            config,
            home=out,
            run_id=f"{prefix}seed{config.seed}",
            registry=timed_registry,
            model=model,
            progress=on_step,
        )
        runs.append(str(result.folder))
        timed += len(records)
        for key, values in split(stamps, records, seen, stepped).items():
            parts[key].extend(values)
    return parts, timed, runs


def _resolve(model_name: str, registry: Registry) -> Any:
    if model_name == "scripted":
        return scripted_model()
    from agentkit.models import resolve_model

    return resolve_model(model_name, registry)  # loaded before the clock starts


def measure_overhead(
    model_name: str,
    steps: int,
    out: Path,
    *,
    env: str = "crafter",
    env_options: dict[str, Any] | None = None,
    seed: int = 0,
    model: Any = None,
    registry: Registry | None = None,
    durability: str = "step",
    fsync: bool = False,
    reference_model: str | None = None,
    reference_steps: int = 10,
) -> dict[str, Any]:
    """Time ``steps`` controller steps; the split's median, p95 and shares.

    An episode that ends early is followed by one on the next seed (at most ``MAX_RUNS``);
    each episode's first step is left out of the split. ``durability`` and ``fsync`` are
    the run's (:class:`agentkit.runs.single.RunConfig`).

    ``model_name`` ``scripted`` uses :func:`scripted_model`; any other name is resolved as
    ``--model`` is, unless a ready ``model`` is given. ``reference_model`` (e.g. ``local``)
    is then timed for ``reference_steps`` steps the same way, and the framework's median is
    also given as a share of that model's median step.
    """
    registry = registry or get_registry()
    options = env_options or {}
    if model is None:
        model = _resolve(model_name, registry)

    def time_steps(
        name: str, chat: Any, count: int, prefix: str
    ) -> tuple[dict[str, list[float]], int, list[str]]:
        return _time_steps(
            name,
            chat,
            count,
            out,
            registry,
            env=env,
            env_options=options,
            seed=seed,
            durability=durability,
            fsync=fsync,
            prefix=prefix,
        )

    parts, timed, runs = time_steps(model_name, model, steps, "")
    total = sum(parts["step"])
    shares = {
        key: round(sum(parts[key]) / total, 4) if total else 0.0 for key in PARTS if key != "step"
    }
    seconds = {key: _stats(values) for key, values in parts.items()}
    results: dict[str, Any] = {
        "benchmark": "overhead",
        "model": model_name,
        "note": SCRIPTED_NOTE if model_name == "scripted" else "",
        "env": env,
        "env_options": options,
        "durability": durability,
        "fsync": fsync,
        "perceivers": [getattr(p, "name", type(p).__name__) for p in registry.perceivers],
        "steps": timed,
        "samples": len(parts["step"]),
        "seconds": seconds,
        "share": shares,
        "framework_share": shares["framework"],
        "runs": runs,
    }
    if reference_model:
        reference = _resolve(reference_model, registry)
        ref_parts, ref_timed, ref_runs = time_steps(
            reference_model, reference, reference_steps, "reference-"
        )
        ref_seconds = {key: _stats(values) for key, values in ref_parts.items()}
        step_median = ref_seconds["step"]["median"]
        results["reference"] = {
            "model": reference_model,
            "steps": ref_timed,
            "samples": len(ref_parts["step"]),
            "seconds": ref_seconds,
            "runs": ref_runs,
        }
        results["framework_share_of_reference_step"] = (
            round(seconds["framework"]["median"] / step_median, 5) if step_median else None
        )
    results["date"] = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    return results
