"""The ``agentkit`` command line (typer + rich). Plugins add commands via ``register_commands``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from agentkit.cli_errors import exit_clearly
from agentkit.learn_cli import learn
from agentkit.memory_cli import episodes_app, skills_app
from agentkit.models import DEFAULT_MODEL
from agentkit.options import EnvOptions, HomeOption, parse_extra_options, parse_key_values
from agentkit.plugins import call_isolated, get_registry
from agentkit.runs.folder import RunFolder, default_home, list_runs, new_run_id
from agentkit.runs.single import DEFAULT_TASK, RunConfig, RunResult, resume_run, start_run
from agentkit.scaffold_cli import plugins_group
from agentkit.structured import METHODS

__all__ = ["app", "main"]

app = typer.Typer(
    help="agentkit: cross-modal LLM agents.", no_args_is_help=True, add_completion=False
)
console = Console(stderr=True)
app.add_typer(skills_app, name="skills")
app.add_typer(episodes_app, name="episodes")
app.command()(learn)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def run(
    ctx: typer.Context,
    env: Annotated[
        str | None, typer.Argument(help="Environment, e.g. crafter or gymnasium:FrozenLake-v1")
    ] = None,
    task: Annotated[str, typer.Option(help="What the agent should do.")] = DEFAULT_TASK,
    model: Annotated[
        str,
        typer.Option(help="A registered model (agentkit plugins) or provider:name."),
    ] = DEFAULT_MODEL,
    max_steps: Annotated[int, typer.Option(min=1, help="Agent steps per episode.")] = 100,
    episodes: Annotated[int, typer.Option(min=1)] = 1,
    seed: Annotated[int, typer.Option()] = 0,
    home: HomeOption = None,
    resume: Annotated[
        str | None, typer.Option(help="Continue this run id from its checkpoint.")
    ] = None,
    critic: Annotated[
        bool, typer.Option(help="Let the controller judge sub-goals the world can't check.")
    ] = True,
    knowledge: Annotated[
        bool, typer.Option(help="Plan from the world's rules when it has them (docs/knowledge.md).")
    ] = True,
    reason: Annotated[
        bool, typer.Option(help="Knowledge mode: the model gives a reason before choosing.")
    ] = True,
    images: Annotated[
        bool, typer.Option(help="Also send the frame to the model as an image (vision models).")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON on stdout.")
    ] = False,
    env_option: EnvOptions = None,
    model_option: Annotated[
        list[str] | None,
        typer.Option("--model-option", "-M", help="KEY=VALUE passed to the model (repeat)."),
    ] = None,
    structured_output: Annotated[
        str,
        typer.Option(
            metavar="|".join(METHODS),
            callback=_structured_method,
            help="How a provider model is asked for JSON (docs/providers.md); "
            "models with their own constrained decoding (llamacpp) ignore it.",
        ),
    ] = "auto",
) -> None:
    """Run an agent in an environment; results go to <home>/runs/<run id>/.

    Other --name VALUE options go to the environment, like -E name=VALUE
    (e.g. agentkit run minecraft --server HOST:PORT --mc-version 1.20.4).
    """
    home = home or default_home()
    extra = parse_extra_options(ctx.args)
    if resume is None and env is None:
        raise typer.BadParameter("name an environment, or pass --resume RUN_ID")
    registry = get_registry()
    created: list[str] = []  # the run's id once its folder exists (then it can be resumed)
    if resume:
        try:
            saved = RunFolder.open(home, resume).meta()["config"]
        except FileNotFoundError as error:
            console.print(f"[bold red]error:[/] {error}")
            raise typer.Exit(2) from error
        max_steps, episodes = saved["max_steps"], saved["episodes"]

    def hint() -> str:  # no hint for a run that failed before its folder existed
        return _resume_hint(resume or (created[0] if created else None))

    def on_created(path: Path) -> None:
        created.append(path.name)
        console.print(f"run [bold]{path.name}[/] -> {path}")

    with _progress(max_steps, episodes, quiet=as_json) as update, exit_clearly(console, hint):
        if resume:
            result = resume_run(resume, home=home, registry=registry, progress=update)
        else:
            config = RunConfig(
                env=env or "",
                task=task,
                model=model,
                max_steps=max_steps,
                episodes=episodes,
                seed=seed,
                critic=critic,
                knowledge=knowledge,
                reason_first=reason,
                image_blocks=images,
                env_options={**parse_key_values(env_option), **extra},
                model_options=parse_key_values(model_option),
                structured_output=structured_output,
            )
            result = start_run(
                config,
                home=home,
                run_id=new_run_id(),
                registry=registry,
                progress=update,
                on_created=on_created,
            )
    _report(result, as_json)


def _structured_method(value: str) -> str:
    if value not in METHODS:
        raise typer.BadParameter(f"{value!r}: choose one of {', '.join(METHODS)}")
    return value


def _resume_hint(run_id: str | None) -> str:
    return f"Continue with: agentkit run --resume {run_id}" if run_id else ""


class _progress:
    """A rich progress bar over all steps, showing achievements and LLM calls."""

    def __init__(self, max_steps: int, episodes: int, quiet: bool):
        self.total = max_steps * episodes
        self.max_steps = max_steps
        self.bar = Progress(
            TextColumn("[bold]ep {task.fields[episode]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("achievements {task.fields[achievements]}"),
            TextColumn("LLM calls {task.fields[calls]}"),
            TimeElapsedColumn(),
            console=console,
            disable=quiet,
        )
        self.achievements: set[str] = set()

    def __enter__(self) -> Any:
        self.bar.start()
        self.task = self.bar.add_task("run", total=self.total, episode=0, achievements=0, calls=0)

        def update(episode: int, record: dict[str, Any]) -> None:
            self.achievements.update(record.get("info", {}).get("achievements_unlocked", []))
            self.bar.update(
                self.task,
                completed=episode * self.max_steps + record["step"],
                episode=episode,
                achievements=len(self.achievements),
                calls=record.get("llm_calls", 0),
            )

        return update

    def __exit__(self, *exc: Any) -> None:
        self.bar.stop()


def _report(result: RunResult, as_json: bool) -> None:
    summary = result.summary
    if as_json:
        print(json.dumps({"folder": str(result.folder), **summary}, default=str))
        return
    table = Table(title=f"run {result.run_id}", show_header=False)
    for key in (
        "steps",
        "env_steps",
        "wall_s",
        "steps_per_s",
        "llm_calls",
        "llm_seconds_per_call",
        "tokens_per_step",
        "fallback_actions",
        "success_rate",
    ):
        table.add_row(key, str(summary.get(key)))
    achievements = sorted(
        {a for e in summary["episodes"].values() for a in e.get("env", {}).get("achievements", [])}
    )
    if achievements:
        table.add_row("achievements", ", ".join(achievements))
    console.print(table)
    console.print(f"results: [bold]{result.folder}[/] (trajectory.jsonl, summary.json, replay.gif)")
    print(result.folder)


@app.command()
def runs(
    home: HomeOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List runs under the home, with what an interrupted one needs to be resumed."""
    rows = list_runs(home or default_home())
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    table = Table()
    table.add_column("run id", no_wrap=True, min_width=20)
    table.add_column("env", overflow="ellipsis", no_wrap=True, max_width=14)
    for column in ("model", "episodes", "steps", "status"):
        table.add_column(column, no_wrap=True)
    for row in rows:
        status = "done" if row["complete"] else "[yellow]resumable[/]"
        table.add_row(
            row["run_id"], row["env"], row["model"], row["episodes"], str(row["steps"]), status
        )
    Console().print(table)


def plugins(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List loaded plugins with their versions and hooks, and any that failed to load."""
    registry = get_registry()
    infos = registry.plugins()
    if as_json:
        print(
            json.dumps(
                {
                    "plugins": [info.__dict__ for info in infos],
                    "failures": [failure.__dict__ for failure in registry.failures],
                    "environments": sorted(registry.environments),
                    "models": sorted(registry.models),
                },
                indent=2,
            )
        )
        return
    table = Table("name", "version", "hooks")
    for info in infos:
        table.add_row(info.name, info.version, ", ".join(info.hooks))
    Console().print(table)
    for failure in registry.failures:
        console.print(f"[yellow]skipped[/] {failure.plugin} ({failure.stage}): {failure.error}")


app.add_typer(plugins_group(plugins), name="plugins")


def main() -> None:
    """Entry point: add plugin commands, then run the CLI."""
    registry = get_registry()
    call_isolated(registry, "register_commands", lambda impl: impl.function(cli=app))
    app()
