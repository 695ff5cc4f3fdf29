"""Running episodes durably: what ``agentkit run`` does, usable from Python too.

Each episode is one LangGraph thread (``<run id>:<episode>``) checkpointed to SQLite once
per step by default (``RunConfig.durability``, :mod:`agentkit.runs.checkpoints`), so
``resume_run`` continues a killed run from its last checkpoint: the world is restored by
replaying the raw actions of the run folder's action log, the trajectory is cut back to
the checkpointed step, and the loop goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from agentkit.controller import Controller
from agentkit.environment import Environment
from agentkit.environments import make_environment
from agentkit.graph import build_graph
from agentkit.models import DEFAULT_MODEL, resolve_model
from agentkit.plugins import Registry, get_registry
from agentkit.runs.checkpoints import check_checkpointer, check_durability
from agentkit.runs.engine import Approver, RunResult, Thread, create_folder, execute
from agentkit.runs.folder import RunFolder, default_home
from agentkit.runtime import AgentRuntime
from agentkit.sandbox.record import summarise as summarise_sandbox
from agentkit.state import llm_totals
from agentkit.structured import choose_method

__all__ = ["RunConfig", "RunResult", "resume_run", "start_run"]

STEP_STARTS = ("perceive",)
"""The node each agent step begins with: where ``durability="step"`` checkpoints."""
DEFAULT_TASK = "survive and unlock as many achievements as you can"
Progress = Callable[[int, dict[str, Any]], None]


@dataclass
class RunConfig:
    """Everything needed to start (and later resume) a run."""

    env: str
    task: str = DEFAULT_TASK
    model: str = DEFAULT_MODEL
    max_steps: int = 100
    episodes: int = 1
    seed: int = 0
    critic: bool = True
    knowledge: bool = True
    """Plan from the world's rules when it gives them (off: the ablation)."""
    reason_first: bool = True
    """Knowledge mode: the model writes a short reason before its choice."""
    image_blocks: bool = False
    env_options: dict[str, Any] = field(default_factory=dict)
    model_options: dict[str, Any] = field(default_factory=dict)
    structured_output: str = "auto"
    """How provider models are asked for JSON (:data:`agentkit.structured.METHODS`)."""
    durability: str = "step"
    """When checkpoints are written: ``step``, ``node`` or ``exit`` (docs/runs.md)."""
    fsync: bool = False
    """Force checkpoints, trajectory and action log to the disk (a power cut), not only to
    the operating system (a killed process)."""
    checkpointer: str | None = None
    """A ``postgresql://`` URL for the checkpoints; None keeps them in the run folder."""
    approve: bool = False
    """Pause before each tool call for a person's verdict (:mod:`agentkit.approval`)."""

    def __post_init__(self) -> None:
        check_durability(self.durability)
        check_checkpointer(self.checkpointer)


def start_run(
    config: RunConfig,
    *,
    home: Path | None = None,
    run_id: str | None = None,
    registry: Registry | None = None,
    progress: Progress | None = None,
    model: Any = None,
    on_created: Callable[[Path], None] | None = None,
    approver: Approver | None = None,
) -> RunResult:
    """Start a new run; ``model`` overrides ``config.model`` with a ready chat model.

    ``on_created`` gets the run folder as soon as it exists, before the first step, so a
    caller can tell the user which run to resume if this one is killed.
    """
    registry = registry or get_registry()
    env, chat_model = _prepare(config, registry, model)  # fail before leaving a folder behind
    folder = create_folder(home, run_id, asdict(config), on_created)
    return _execute(folder, config, registry, progress, env, chat_model, approver)


def resume_run(
    run_id: str,
    *,
    home: Path | None = None,
    registry: Registry | None = None,
    progress: Progress | None = None,
    model: Any = None,
    approver: Approver | None = None,
) -> RunResult:
    """Continue ``run_id`` from its last checkpoint."""
    folder = RunFolder.open(home or default_home(), run_id)
    config = RunConfig(**folder.meta()["config"])
    registry = registry or get_registry()
    env, chat_model = _prepare(config, registry, model)
    return _execute(folder, config, registry, progress, env, chat_model, approver)


def _prepare(config: RunConfig, registry: Registry, model: Any) -> tuple[Environment, Any]:
    env = make_environment(config.env, registry, **config.env_options)
    if model is None:
        model = resolve_model(config.model, registry, **config.model_options)
    choose_method(model, config.structured_output)  # a method the model lacks fails here
    return env, model


def _execute(
    folder: RunFolder,
    config: RunConfig,
    registry: Registry,
    progress: Progress | None,
    env: Environment,
    chat_model: Any,
    approver: Approver | None = None,
) -> RunResult:
    run_id = folder.meta()["run_id"]
    runtime = AgentRuntime(
        env=env,
        controller=Controller(
            chat_model,
            image_blocks=config.image_blocks,
            structured_output=config.structured_output,
        ),
        perceivers=list(registry.perceivers),
        tools=list(registry.tools),
        critic=config.critic,
        use_knowledge=config.knowledge,
        reason_first=config.reason_first,
        approve=config.approve,
    )

    def on_event(event: dict[str, Any]) -> None:
        if progress is not None and event["event"] == "step":
            progress(event["episode"], event["record"])

    execute(
        folder,
        runtime,
        build_graph,
        _episodes(folder, config, registry, run_id, env),
        registry=registry,
        durability=config.durability,
        starts=STEP_STARTS,
        fsync=config.fsync,
        on_event=on_event,
        checkpointer=config.checkpointer,
        approver=approver,
    )
    summary = _summarise(folder, config, chat_model)
    folder.write_replay()
    folder.write_summary(summary)
    return RunResult(run_id=run_id, folder=folder.path, summary=summary)


def _episodes(
    folder: RunFolder, config: RunConfig, registry: Registry, run_id: str, env: Environment
) -> Iterator[Thread]:
    """The episodes still to run, one thread each (read as each begins)."""
    for episode in range(config.episodes):
        status = folder.meta()["episodes"].get(str(episode), {})
        if status.get("finished"):
            continue

        def start(episode: int = episode) -> None:
            registry.notify(
                "on_episode_start", run_id=run_id, episode=episode, task=config.task, env=config.env
            )

        def end(
            final: dict[str, Any], seconds: float, episode: int = episode, status: Any = status
        ) -> None:
            result = {
                "finished": True,
                "success": final.get("success"),
                "steps": final.get("step", 0),
                "env_steps": final.get("env_steps", 0),
                "reward": round(float(final.get("reward", 0.0)), 3),
                "wall_s": round(status.get("wall_s", 0.0) + seconds, 3),
                "llm": final.get("llm", {}),
                "env": env.metrics(),
            }
            folder.set_episode(episode, **result)
            registry.notify("on_episode_end", run_id=run_id, episode=episode, summary=result)

        yield Thread(
            name=str(episode),
            episode=episode,
            inputs={
                "task": config.task,
                "seed": config.seed + episode,
                "max_steps": config.max_steps,
                "step": 0,
                "env_steps": 0,
            },
            recursion_limit=config.max_steps * 6 + 50,
            # ``next`` can be empty mid-episode: a node whose writes were saved before the
            # kill is not "next", yet the loop has not ended. Only ``done`` says it has.
            ended=lambda snapshot: not snapshot.next and bool(snapshot.values.get("done")),
            on_start=start,
            on_end=end,
        )


def _summarise(folder: RunFolder, config: RunConfig, chat_model: Any) -> dict[str, Any]:
    episodes = folder.meta()["episodes"]
    records = folder.steps()
    steps = sum(e.get("steps", 0) for e in episodes.values())
    env_steps = sum(e.get("env_steps", 0) for e in episodes.values())
    wall = sum(e.get("wall_s", 0.0) for e in episodes.values())
    totals = llm_totals(*(e.get("llm") for e in episodes.values()))
    calls = totals.get("calls", 0)
    tokens = totals.pop("tokens")
    return {
        "run_id": folder.meta()["run_id"],
        "config": asdict(config),
        "model": getattr(chat_model, "_llm_type", type(chat_model).__name__),
        "episodes": episodes,
        "steps": steps,
        "env_steps": env_steps,
        "trajectory_lines": len(records),
        "fallback_actions": sum(1 for r in records if r.decision.fallback),
        "wall_s": round(wall, 3),
        "steps_per_s": round(steps / wall, 3) if wall else None,
        "llm_calls": int(calls),
        "llm_seconds_per_call": round(totals.get("latency_s", 0) / calls, 4) if calls else None,
        "tokens_per_step": round(tokens / steps, 1) if steps else None,
        "llm_totals": totals,
        "success_rate": (
            sum(1 for e in episodes.values() if e.get("success")) / len(episodes)
            if episodes
            else 0.0
        ),
        "sandbox": summarise_sandbox(records),
    }
