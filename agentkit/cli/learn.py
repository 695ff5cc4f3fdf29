"""``agentkit learn``: a resumable lifelong run from the command line."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from agentkit.cli.approve import ask
from agentkit.cli.output import Launch, TaskProgress, console, exit_clearly, report
from agentkit.models import DEFAULT_MODEL
from agentkit.options import (
    CheckpointerOption,
    DurabilityOption,
    EnvOptions,
    HomeOption,
    ModelOptions,
    parse_key_values,
)
from agentkit.plugins import get_registry
from agentkit.runs import (
    LearnConfig,
    RunFolder,
    RunResult,
    default_home,
    new_run_id,
    resume_learning,
    start_learning,
)

__all__ = ["learn"]


def learn(
    env: Annotated[str | None, typer.Argument(help="Environment, e.g. crafter")] = None,
    tasks: Annotated[
        str,
        typer.Option(help="auto (Voyager's curriculum), suite, random, or a file of tasks."),
    ] = "auto",
    iterations: Annotated[int, typer.Option(min=1, help="Task attempts.")] = 30,
    mode: Annotated[str, typer.Option(help="select (choose actions/skills) or code.")] = "select",
    task_steps: Annotated[int, typer.Option(min=1, help="Agent steps per task attempt.")] = 20,
    model: Annotated[str, typer.Option(help="A registered model or provider:name.")] = (
        DEFAULT_MODEL
    ),
    seed: Annotated[int, typer.Option()] = 0,
    skills: Annotated[bool, typer.Option(help="Use and grow the skill library.")] = True,
    direct_reuse: Annotated[
        bool,
        typer.Option(
            help="Run a task's own verified skill before asking the model; "
            "--no-direct-reuse only offers it as a choice."
        ),
    ] = True,
    critic: Annotated[
        bool, typer.Option(help="Self-verification; --no-critic accepts every attempt.")
    ] = True,
    knowledge: Annotated[
        bool, typer.Option(help="Plan from the world's rules when it has them (docs/knowledge.md).")
    ] = True,
    embedder: Annotated[str, typer.Option(help="Embedder for the memory.")] = "minilm",
    memory: Annotated[
        str | None,
        typer.Option(
            help="Memory folder's parent (default: the home), or a postgresql://...?chroma=... "
            "URL to share one memory between agents (docs/memory.md)."
        ),
    ] = None,
    home: HomeOption = None,
    resume: Annotated[str | None, typer.Option(help="Continue this lifelong run.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    env_option: EnvOptions = None,
    model_option: ModelOptions = None,
    durability: DurabilityOption = "step",
    checkpointer: CheckpointerOption = None,
    approve: Annotated[
        bool,
        typer.Option(
            "--approve",
            help="Pause before each program and tool call for your approve / edit / reject.",
        ),
    ] = False,
    agents: Annotated[
        int,
        typer.Option(
            min=1, help="Agents learning at once into the shared --memory, one Ray task each."
        ),
    ] = 1,
    ray_address: Annotated[
        str | None, typer.Option(help="Run the agents on this Ray cluster (auto, ray://...).")
    ] = None,
) -> None:
    """Learn for a lifetime: tasks from a curriculum, skills and episodes kept in memory."""
    home = home or default_home()
    if resume is None and env is None:
        raise typer.BadParameter("name an environment, or pass --resume RUN_ID")
    registry = get_registry()
    launch = Launch("learn", resume)
    with exit_clearly(launch.hint):
        if resume:
            iterations = RunFolder.open(home, resume).meta()["config"]["iterations"]
        config = LearnConfig(
            env=env or "",
            tasks=tasks,
            iterations=iterations,
            mode=mode,
            task_steps=task_steps,
            model=model,
            seed=seed,
            skills=skills,
            direct_reuse=direct_reuse,
            critic=critic,
            knowledge=knowledge,
            embedder=embedder,
            memory=memory,
            env_options=parse_key_values(env_option),
            model_options=parse_key_values(model_option),
            durability=durability,
            checkpointer=checkpointer,
            approve=approve,
        )
        if agents > 1:
            if resume:
                raise typer.BadParameter("--resume continues one agent's run: drop --agents")
            from agentkit.runs.agents import start_agents

            rows = start_agents(config, agents, home=home, ray_address=ray_address)
            _report_agents(rows, as_json)
            return
        with TaskProgress(iterations, quiet=as_json or approve) as update:
            if resume:
                result = resume_learning(
                    resume, home=home, registry=registry, progress=update, approver=ask
                )
            else:
                result = start_learning(
                    config,
                    home=home,
                    run_id=new_run_id(),
                    registry=registry,
                    progress=update,
                    on_created=launch.created,
                    approver=ask,
                )
    _report(result, as_json)


def _report_agents(rows: list[dict[str, Any]], as_json: bool) -> None:
    if as_json:
        print(json.dumps(rows, indent=1, default=str))
        return
    table = Table(title="agents")
    for column in ("agent", "run", "tasks completed", "skills learned", "LLM calls"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["agent"]),
            row["run_id"],
            str(row["tasks_completed"]),
            str(len(row["skills_learned"] or [])),
            str(row["llm_calls"]),
        )
    report("", table)


def _report(result: RunResult, as_json: bool) -> None:
    summary = result.summary
    rows = [
        (key.replace("_", " "), str(summary.get(key)))
        for key in (
            "iterations",
            "tasks_completed",
            "achievement_count",
            "llm_calls",
            "llm_calls_per_completed_task",
            "wrongly_accepted",
            "steps",
            "wall_s",
        )
    ]
    rows.append(("completed", ", ".join(summary.get("completed", [])) or "none"))
    rows.append(("skills learned", ", ".join(summary.get("skills_learned", [])) or "none"))
    report(f"lifelong run {result.run_id}", rows, summary=summary, as_json=as_json)
    if not as_json:
        console.print(f"learning curve: {result.folder / 'learning_curve.png'}")
