"""``agentkit learn``: a resumable lifelong run from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from agentkit.cli_errors import exit_clearly
from agentkit.models import DEFAULT_MODEL
from agentkit.options import EnvOptions, HomeOption, parse_key_values
from agentkit.plugins import get_registry
from agentkit.runs.folder import RunFolder, default_home, new_run_id
from agentkit.runs.lifelong import LearnConfig, RunResult, resume_learning, start_learning

__all__ = ["learn"]

console = Console(stderr=True)


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
    critic: Annotated[
        bool, typer.Option(help="Self-verification; --no-critic accepts every attempt.")
    ] = True,
    knowledge: Annotated[
        bool, typer.Option(help="Plan from the world's rules when it has them (docs/knowledge.md).")
    ] = True,
    embedder: Annotated[str, typer.Option(help="Embedder for the memory.")] = "minilm",
    memory: Annotated[
        str | None, typer.Option(help="Memory folder's parent (default: the home).")
    ] = None,
    home: HomeOption = None,
    resume: Annotated[str | None, typer.Option(help="Continue this lifelong run.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    env_option: EnvOptions = None,
    model_option: Annotated[
        list[str] | None,
        typer.Option("--model-option", "-M", help="KEY=VALUE passed to the model (repeat)."),
    ] = None,
) -> None:
    """Learn for a lifetime: tasks from a curriculum, skills and episodes kept in memory."""
    home = home or default_home()
    if resume is None and env is None:
        raise typer.BadParameter("name an environment, or pass --resume RUN_ID")
    registry = get_registry()
    created: list[str] = [resume] if resume else []  # the run's id once its folder exists

    def hint() -> str:  # no hint for a run that failed before its folder existed
        return _hint(created[0] if created else None)

    def on_created(path: Path) -> None:
        created.append(path.name)
        console.print(f"run [bold]{path.name}[/] -> {path}")

    with exit_clearly(console, hint):
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
            critic=critic,
            knowledge=knowledge,
            embedder=embedder,
            memory=memory,
            env_options=parse_key_values(env_option),
            model_options=parse_key_values(model_option),
        )
        with _progress(iterations, quiet=as_json) as update:
            if resume:
                result = resume_learning(resume, home=home, registry=registry, progress=update)
            else:
                result = start_learning(
                    config,
                    home=home,
                    run_id=new_run_id(),
                    registry=registry,
                    progress=update,
                    on_created=on_created,
                )
    _report(result, as_json)


def _hint(run_id: str | None) -> str:
    return f"Continue with: agentkit learn --resume {run_id}" if run_id else ""


class _progress:
    """A bar over task attempts; its text shows the task and what was completed so far."""

    def __init__(self, iterations: int, quiet: bool):
        self.quiet = quiet
        self.bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(),
            console=console,
            disable=quiet,
        )
        self.iterations = iterations
        self.completed = 0

    def __enter__(self) -> Any:
        self.bar.start()
        bar_id = self.bar.add_task("tasks", total=self.iterations, status="")

        def update(kind: str, record: dict[str, Any]) -> None:
            if kind == "step":
                status = f"{record.get('task', '')[:28]} · step {record['step']}"
                self.bar.update(bar_id, status=status)
                return
            self.completed += 1 if record.get("truth") else 0
            mark = "[green]done[/]" if record.get("truth") else "[red]failed[/]"
            self.bar.console.print(
                f"  {record['iteration'] + 1:>3}. {record['task']:<24} {mark}"
                f" in {record['steps']} steps, {record['llm_calls']} LLM calls"
                + (f", learned {record['skill']}" if record.get("skill") else "")
            )
            self.bar.update(bar_id, completed=record["iteration"] + 1)

        return update

    def __exit__(self, *exc: Any) -> None:
        self.bar.stop()


def _report(result: RunResult, as_json: bool) -> None:
    summary = result.summary
    if as_json:
        print(json.dumps(summary, indent=2, default=str))
        return
    table = Table(title=f"lifelong run {result.run_id}", show_header=False)
    for key in (
        "iterations",
        "tasks_completed",
        "achievement_count",
        "llm_calls",
        "llm_calls_per_completed_task",
        "wrongly_accepted",
        "steps",
        "wall_s",
    ):
        table.add_row(key.replace("_", " "), str(summary.get(key)))
    table.add_row("completed", ", ".join(summary.get("completed", [])) or "none")
    table.add_row("skills learned", ", ".join(summary.get("skills_learned", [])) or "none")
    console.print(table)
    console.print(f"learning curve: {result.folder / 'learning_curve.png'}")
