"""Where a step's time goes: environment, LLM, and the framework around them.

A run goes through the real harness (:func:`agentkit.start_run`); the ``progress`` callback
stamps the end of every step. For the interval between two stamps: environment time is the
step's ``env_seconds`` (the world step alone), LLM time is the growth of the cumulative
``llm_seconds`` (every model call in that interval: critique, plan, act, including
LangChain's invoke wrapper), and the framework is the rest: graph and checkpoint writes,
perceivers, prompt building, validation, trajectory and frame files, observer hooks. The
first step is left out because it includes the world reset.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.messages import BaseMessage

from agentkit.plugins import Registry, get_registry
from agentkit.runner import RunConfig, start_run

__all__ = ["SCRIPTED_NOTE", "measure_overhead", "scripted_model", "scripted_policy", "split"]

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


def split(stamps: list[float], records: list[dict[str, Any]]) -> dict[str, list[float]]:
    """Per-step seconds (from the second step on) split into env, llm and framework."""
    parts: dict[str, list[float]] = {"step": [], "env": [], "llm": [], "framework": []}
    for i in range(1, len(records)):
        step = stamps[i] - stamps[i - 1]
        env = float(records[i].get("env_seconds", 0.0))
        llm = float(records[i].get("llm_seconds", 0.0)) - float(
            records[i - 1].get("llm_seconds", 0.0)
        )
        parts["step"].append(step)
        parts["env"].append(env)
        parts["llm"].append(llm)
        parts["framework"].append(max(step - env - llm, 0.0))  # rounding can dip below 0
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
) -> dict[str, Any]:
    """Time ``steps`` controller steps; the split's median, p95 and shares.

    An episode that ends early is followed by one on the next seed (at most ``MAX_RUNS``);
    each episode's first step is left out of the split.

    ``model_name`` ``scripted`` uses :func:`scripted_model`; any other name is resolved as
    ``--model`` is, unless a ready ``model`` is given.
    """
    registry = registry or get_registry()
    if model is None and model_name == "scripted":
        model = scripted_model()
    if model is None:
        from agentkit.models import resolve_model

        model = resolve_model(model_name, registry)  # loaded before the clock starts
    parts: dict[str, list[float]] = {"step": [], "env": [], "llm": [], "framework": []}
    runs: list[str] = []
    timed = 0
    # An episode can end early (the player dies): go on with the next seed until ``steps``.
    while timed < steps and len(runs) < MAX_RUNS:
        config = RunConfig(
            env=env,
            model=model_name,
            max_steps=steps - timed,
            seed=seed + len(runs),
            env_options=env_options or {},
        )
        stamps: list[float] = []
        records: list[dict[str, Any]] = []

        def on_step(
            _episode: int,
            record: dict[str, Any],
            stamps: list[float] = stamps,
            records: list[dict[str, Any]] = records,
        ) -> None:
            stamps.append(time.perf_counter())
            records.append(record)

        result = start_run(
            config,
            home=out,
            run_id=f"seed{config.seed}",
            registry=registry,
            model=model,
            progress=on_step,
        )
        runs.append(str(result.folder))
        timed += len(records)
        for key, values in split(stamps, records).items():
            parts[key].extend(values)
    total = sum(parts["step"])
    shares = {
        key: round(sum(parts[key]) / total, 4) if total else 0.0
        for key in ("env", "llm", "framework")
    }
    return {
        "benchmark": "overhead",
        "model": model_name,
        "note": SCRIPTED_NOTE if model_name == "scripted" else "",
        "env": env,
        "env_options": env_options or {},
        "steps": timed,
        "samples": len(parts["step"]),
        "seconds": {key: _stats(values) for key, values in parts.items()},
        "share": shares,
        "framework_share": shares["framework"],
        "runs": runs,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
