"""Lifelong runs: what ``agentkit learn`` does, usable from Python too.

One run is one LangGraph thread over :func:`agentkit.graph.build_lifelong_graph`: the
curriculum hands out tasks, each attempt ends in ``learn``, and the skill library and
episodic memory (``<home>/memory`` unless told otherwise) outlive the run. The thread is
checkpointed once per step by default (``LearnConfig.durability``), so a killed run resumes
where it stopped; the world is restored by replaying the current world's raw actions from
the run folder's action log.

Besides the run folder's usual files, a lifelong run writes ``iterations.jsonl`` (one
record per task attempt), ``learning.json`` (the summary) and ``learning_curve.png``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from agentkit.controller import Controller
from agentkit.curriculum import make_curriculum
from agentkit.environments import make_environment
from agentkit.graph import build_lifelong_graph
from agentkit.models import DEFAULT_MODEL, resolve_model
from agentkit.plugins import Registry, get_registry
from agentkit.runs.checkpoints import check_checkpointer, check_durability
from agentkit.runs.engine import (
    ITERATIONS_FILE,
    Approver,
    RunResult,
    Thread,
    create_folder,
    execute,
)
from agentkit.runs.folder import RunFolder, default_home
from agentkit.runtime import AgentRuntime
from agentkit.sandbox.record import summarise_trajectory
from agentkit.state import llm_totals

__all__ = [
    "LearnConfig",
    "learning_summary",
    "plot_learning_curves",
    "resume_learning",
    "start_learning",
]

Progress = Callable[[str, dict[str, Any]], None]
TASK_STARTS = ("curriculum", "perceive")
"""Where ``durability="step"`` checkpoints: before each task and each step."""


@dataclass
class LearnConfig:
    """Everything needed to start (and later resume) a lifelong run."""

    env: str
    tasks: str = "auto"
    iterations: int = 30
    mode: str = "select"
    task_steps: int = 20
    model: str = DEFAULT_MODEL
    seed: int = 0
    skills: bool = True
    direct_reuse: bool = True
    """Run a task's own verified skill before asking the model (agentkit.nodes.reuse)."""
    episodes: bool = True
    critic: bool = True
    knowledge: bool = True
    embedder: str = "minilm"
    memory: str | None = None
    env_options: dict[str, Any] = field(default_factory=dict)
    model_options: dict[str, Any] = field(default_factory=dict)
    durability: str = "step"
    """When checkpoints are written: ``step``, ``node`` or ``exit`` (docs/runs.md)."""
    fsync: bool = False
    """Force writes to the disk, not only to the operating system (docs/runs.md)."""
    checkpointer: str | None = None
    """A ``postgresql://`` URL for the checkpoints; None keeps them in the run folder."""
    approve: bool = False
    """Pause before each program and tool call for a person's verdict (agentkit.approval)."""

    def __post_init__(self) -> None:
        check_durability(self.durability)
        check_checkpointer(self.checkpointer)
        if self.mode not in ("select", "code"):
            raise ValueError(f"mode must be select or code, not {self.mode!r}")
        if self.iterations < 1 or self.task_steps < 1:
            raise ValueError("iterations and task steps must be at least 1")


def start_learning(
    config: LearnConfig,
    *,
    home: Path | None = None,
    run_id: str | None = None,
    registry: Registry | None = None,
    progress: Progress | None = None,
    model: Any = None,
    embedder: Any = None,
    on_created: Callable[[Path], None] | None = None,
    approver: Approver | None = None,
) -> RunResult:
    """Start a lifelong run; ``model``/``embedder`` override the configured ones."""
    home = home or default_home()
    registry = registry or get_registry()
    parts = _prepare(config, home, registry, model, embedder)
    folder = create_folder(home, run_id, {"kind": "learn", **asdict(config)}, on_created)
    return _execute(folder, config, registry, progress, *parts, approver=approver)


def resume_learning(
    run_id: str,
    *,
    home: Path | None = None,
    registry: Registry | None = None,
    progress: Progress | None = None,
    model: Any = None,
    embedder: Any = None,
    approver: Approver | None = None,
) -> RunResult:
    """Continue the lifelong run ``run_id`` from its last checkpoint."""
    home = home or default_home()
    folder = RunFolder.open(home, run_id)
    saved = dict(folder.meta()["config"])
    if saved.pop("kind", None) != "learn":
        raise ValueError(f"run {run_id} is not a lifelong run; use agentkit run --resume")
    config = LearnConfig(**saved)
    registry = registry or get_registry()
    parts = _prepare(config, home, registry, model, embedder)
    return _execute(folder, config, registry, progress, *parts, approver=approver)


def _prepare(
    config: LearnConfig, home: Path, registry: Registry, model: Any, embedder: Any
) -> tuple[Any, Any, Any, Any, Any]:
    from agentkit.memory import open_memory, resolve_embedder

    env = make_environment(config.env, registry, **config.env_options)
    curriculum = make_curriculum(config.tasks, env.tasks(), seed=config.seed)
    if model is None:
        model = resolve_model(config.model, registry, **config.model_options)
    skills = episodes = None
    if config.skills or config.episodes:
        embedder = embedder or resolve_embedder(config.embedder, registry)
        # config.memory: a home folder, or a postgresql://...?chroma=... URL (shared memory)
        skills, episodes = open_memory(config.memory or home, embedder)
    return (
        env,
        model,
        curriculum,
        skills if config.skills else None,
        episodes if config.episodes else None,
    )


def _execute(
    folder: RunFolder,
    config: LearnConfig,
    registry: Registry,
    progress: Progress | None,
    env: Any,
    chat_model: Any,
    curriculum: Any,
    skills: Any,
    episodes: Any,
    *,
    approver: Approver | None = None,
) -> RunResult:
    run_id = folder.meta()["run_id"]
    runtime = AgentRuntime(
        env=env,
        controller=Controller(chat_model),
        perceivers=list(registry.perceivers),
        tools=list(registry.tools),
        critic=config.critic,
        verify=config.critic,
        use_knowledge=config.knowledge,
        skills=skills,
        direct_reuse=config.direct_reuse,
        episodes=episodes,
        curriculum=curriculum,
        mode=config.mode,
        task_steps=config.task_steps,
        plan_ends_task=True,
        run_id=run_id,
        workdir=folder.path,
        approve=config.approve,
    )

    def on_event(event: dict[str, Any]) -> None:
        if progress is None:
            return
        if event["event"] == "step":
            progress("step", event["record"])
        elif event["event"] == "learn":
            progress("task", event["record"])

    ended: dict[str, Any] = {}
    life = Thread(
        name="learn",
        episode=0,
        inputs={"iterations": config.iterations, "seed": config.seed, "step": 0, "env_steps": 0},
        recursion_limit=config.iterations * (config.task_steps * 6 + 20) + 50,
        ended=lambda snapshot: bool(snapshot.values.get("finished")),
        on_end=lambda final, _seconds: ended.update(final),
    )
    try:
        execute(
            folder,
            runtime,
            build_lifelong_graph,
            [life],
            registry=registry,
            durability=config.durability,
            starts=TASK_STARTS,
            fsync=config.fsync,
            on_event=on_event,
            checkpointer=config.checkpointer,
            approver=approver,
        )
    finally:
        for memory in (skills, episodes):
            if memory is not None:
                memory.close()
    summary = learning_summary(folder.path, ended, config)
    (folder.path / "learning.json").write_text(json.dumps(summary, indent=2, default=str))
    plot_learning_curves({config.tasks: summary}, folder.path / "learning_curve.png")
    folder.write_replay()
    return RunResult(run_id=run_id, folder=folder.path, summary=summary)


def read_iterations(folder: Path) -> list[dict[str, Any]]:
    """The task-attempt records of a run, one per iteration (a rerun's record wins)."""
    path = folder / ITERATIONS_FILE
    by_iteration: dict[int, dict[str, Any]] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a torn last line from a kill
            by_iteration[int(record["iteration"])] = record
    return [by_iteration[i] for i in sorted(by_iteration)]


def learning_summary(
    folder: Path, final: dict[str, Any], config: LearnConfig | None = None
) -> dict[str, Any]:
    """Tasks completed (verified by the world), achievements, LLM cost, the curve."""
    records = read_iterations(folder)
    completed: list[str] = []
    accepted: list[str] = []
    curve, accepted_curve = [], []
    achievements: set[str] = set()
    for record in records:
        if record.get("truth") and record["task"] not in completed:
            completed.append(record["task"])
        if record.get("accepted") and record["task"] not in accepted:
            accepted.append(record["task"])
        achievements.update(record.get("env", {}).get("achievements", []))
        curve.append(len(completed))
        accepted_curve.append(len(accepted))
    totals = llm_totals(final.get("llm"))
    calls = int(totals.get("calls", 0))
    by_node = {node: int(v.get("calls", 0)) for node, v in (final.get("llm") or {}).items()}
    # what the tasks cost beyond choosing them: the calls skills can save
    working = calls - by_node.get("curriculum", 0)
    return {
        "run_id": folder.name,
        "config": asdict(config) if config else None,
        "iterations": len(records),
        "tasks_completed": len(completed),
        "completed": completed,
        "accepted_by_agent": sum(1 for r in records if r.get("accepted")),
        "wrongly_accepted": sum(1 for r in records if r.get("accepted") and not r.get("truth")),
        "achievements": sorted(achievements),
        "achievement_count": len(achievements),
        "skills_learned": sorted({r["skill"] for r in records if r.get("skill")}),
        "skills_learned_on_the_way": sorted(
            {name for r in records for name in r.get("skills_on_the_way", [])}
        ),
        "skills_used": sum(len(r.get("skills_used", [])) for r in records),
        "steps": int(final.get("step", 0)),
        "llm_calls": calls,
        "llm_calls_per_completed_task": round(calls / len(completed), 1) if completed else None,
        "llm_calls_by_node": by_node,
        "working_calls_per_completed_task": (
            round(working / len(completed), 1) if completed else None
        ),
        "llm_seconds": round(totals.get("latency_s", 0.0), 1),
        "wall_s": round(sum(r.get("wall_s", 0.0) for r in records), 1),
        "curve": curve,
        "accepted_curve": accepted_curve,
        "sandbox": summarise_trajectory(folder / "trajectory.jsonl"),
    }


def plot_learning_curves(summaries: dict[str, dict[str, Any]], out: Path) -> Path:
    """Two panels against iterations, one line per run (a PNG).

    Left: distinct tasks the world's check confirms. Right: distinct tasks the agent
    believed done; the gap between them is what self-verification is for.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, panels = plt.subplots(1, 2, figsize=(10, 4.0), dpi=110, sharey=True)
    styles = ["-", "--", "-.", ":"]
    for index, (label, summary) in enumerate(summaries.items()):
        style = styles[index % len(styles)]
        for axes, key in zip(panels, ("curve", "accepted_curve"), strict=True):
            curve = summary.get(key) or []
            axes.step(
                range(1, len(curve) + 1),
                curve,
                where="post",
                label=label,
                linestyle=style,
                linewidth=2.2 - 0.4 * (index % 4),
            )
    panels[0].set_title("completed (the world's check)")
    panels[1].set_title("believed completed (the agent's verdict)")
    panels[0].set_ylabel("distinct tasks")
    for axes in panels:
        axes.set_xlabel("iteration (task attempt)")
        axes.grid(alpha=0.3)
    panels[1].legend(loc="upper left")
    figure.tight_layout()
    figure.savefig(out)
    plt.close(figure)
    return out
