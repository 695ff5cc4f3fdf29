"""``agentkit run`` and ``agentkit runs``: single runs from the command line."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from agentkit.cli.approve import ask
from agentkit.cli.output import Launch, StepProgress, exit_clearly, fail, report
from agentkit.models import DEFAULT_MODEL
from agentkit.options import (
    CheckpointerOption,
    DurabilityOption,
    EnvOptions,
    HomeOption,
    ModelOptions,
    parse_extra_options,
    parse_key_values,
)
from agentkit.plugins import get_registry
from agentkit.runs import (
    RunConfig,
    RunFolder,
    RunResult,
    default_home,
    list_runs,
    new_run_id,
    resume_run,
    start_run,
)
from agentkit.runs.single import DEFAULT_TASK
from agentkit.structured import METHODS

__all__ = ["RUN_CONTEXT", "run", "runs"]

RUN_CONTEXT = {"allow_extra_args": True, "ignore_unknown_options": True}
"""``run`` passes options it does not know to the environment (``--server HOST:PORT``)."""


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
    model_option: ModelOptions = None,
    structured_output: Annotated[
        str,
        typer.Option(
            metavar="|".join(METHODS),
            callback=_structured_method,
            help="How a provider model is asked for JSON (docs/providers.md); "
            "models with their own constrained decoding (llamacpp) ignore it.",
        ),
    ] = "auto",
    durability: DurabilityOption = "step",
    checkpointer: CheckpointerOption = None,
    approve: Annotated[
        bool,
        typer.Option(
            "--approve",
            help="Pause before each tool call for your approve / edit / reject.",
        ),
    ] = False,
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
    if resume:
        try:
            saved = RunFolder.open(home, resume).meta()["config"]
        except FileNotFoundError as error:
            raise fail(str(error)) from error
        max_steps, episodes = saved["max_steps"], saved["episodes"]
    launch = Launch("run", resume)
    quiet = as_json or approve  # a live progress bar would draw over the approval prompts
    with StepProgress(max_steps, episodes, quiet=quiet) as update, exit_clearly(launch.hint):
        if resume:
            result = resume_run(resume, home=home, registry=registry, progress=update, approver=ask)
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
                durability=durability,
                checkpointer=checkpointer,
                approve=approve,
            )
            result = start_run(
                config,
                home=home,
                run_id=new_run_id(),
                registry=registry,
                progress=update,
                on_created=launch.created,
                approver=ask,
            )
    _report(result, as_json)


def _structured_method(value: str) -> str:
    if value not in METHODS:
        raise typer.BadParameter(f"{value!r}: choose one of {', '.join(METHODS)}")
    return value


def _report(result: RunResult, as_json: bool) -> None:
    summary = result.summary
    rows = [
        (key, str(summary.get(key)))
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
        )
    ]
    achievements = sorted(
        {a for e in summary["episodes"].values() for a in e.get("env", {}).get("achievements", [])}
    )
    if achievements:
        rows.append(("achievements", ", ".join(achievements)))
    report(
        f"run {result.run_id}",
        rows,
        folder=result.folder,
        files="trajectory.jsonl, summary.json, replay.gif",
        summary={"folder": str(result.folder), **summary},
        as_json=as_json,
        indent=None,
    )


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
