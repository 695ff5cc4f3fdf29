"""``agentkit bench``: benchmark commands.

The built-in plugin :mod:`agentkit.default_plugins.bench` adds this group through the public
``register_commands`` hook. Heavy imports (the harness, matplotlib, models) wait until a
command runs, so the CLI starts as fast with the group as without it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, TextColumn
from rich.table import Table

from agentkit.cli.output import TaskProgress, console, exit_clearly, fail, progress_bar, report
from agentkit.models import DEFAULT_MODEL
from agentkit.options import EnvOptions, HomeOption, ModelOptions, parse_key_values

__all__ = ["bench_app"]

bench_app = typer.Typer(
    help="Benchmarks: Crafter (official and BALROG protocols), framework overhead, memory.",
    no_args_is_help=True,
)


def _out(out: Path | None, home: Path | None, prefix: str) -> Path:
    if out is not None:
        return out
    from agentkit.runs.folder import default_home

    return (home or default_home()) / "bench" / f"{prefix}{time.strftime('%Y%m%d-%H%M%S')}"


def _seeds(text: str) -> list[int]:
    try:
        seeds = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise typer.BadParameter(f"--seeds takes integers like 0,1,2, got {text!r}") from error
    if not seeds:
        raise typer.BadParameter("--seeds needs at least one seed")
    return seeds


@bench_app.command()
def crafter(
    episodes: Annotated[int, typer.Option(min=1, help="Episodes per seed.")] = 1,
    seeds: Annotated[str, typer.Option(help="Comma-separated seeds, e.g. 0,1,2.")] = "0",
    model: Annotated[str, typer.Option(help="A registered model or provider:name.")] = (
        DEFAULT_MODEL
    ),
    agent: Annotated[str, typer.Option(help="'llm' (the agentkit graph) or 'random'.")] = "llm",
    protocol: Annotated[str, typer.Option(help="'crafter' (10,000 steps) or 'balrog' (2,000).")] = (
        "crafter"
    ),
    max_steps: Annotated[
        int | None,
        typer.Option(min=1, help="Controller steps per episode (default: the protocol's cap)."),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Default <home>/bench/<timestamp>.")] = None,
    knowledge: Annotated[
        bool, typer.Option(help="Crafter protocol: plan from the game's rules (balrog: never).")
    ] = True,
    home: HomeOption = None,
    env_option: EnvOptions = None,
    model_option: ModelOptions = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Seeds at once, each a Ray task (a local Ray if >1).")
    ] = 1,
    ray_address: Annotated[
        str | None, typer.Option(help="Run the seeds on this Ray cluster (auto, ray://...).")
    ] = None,
) -> None:
    """Score an agent on Crafter: success rates, Crafter score, BALROG progression, costs."""
    from agentkit.bench.crafter import BenchConfig, run_crafter_bench
    from agentkit.bench.report import write_results

    config = BenchConfig(
        protocol=protocol,
        agent=agent,
        model=model,
        seeds=_seeds(seeds),
        episodes=episodes,
        max_steps=max_steps,
        env_options=parse_key_values(env_option),
        knowledge=knowledge,
        model_options=parse_key_values(model_option),
        workers=workers,
        ray_address=ray_address,
    )
    try:
        config.protocol_spec()
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    if agent not in {"llm", "random"}:
        raise typer.BadParameter(f"--agent must be llm or random, got {agent!r}")
    folder = _out(out, home, "crafter-")
    total = len(config.seeds) * episodes
    bar = progress_bar(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:.1f}/{task.total} episodes"),
    )
    with bar:
        task = bar.add_task("starting", total=total)
        with exit_clearly():
            results = run_crafter_bench(
                config,
                folder,
                progress=lambda done, label: bar.update(task, completed=done, description=label),
            )
    paths = write_results(results, folder)
    overall = results["overall"]
    table = Table(title=f"{agent} agent, {protocol} protocol", show_header=False)
    table.add_row("Crafter score", f"{overall['crafter_score']:.2f}")
    table.add_row(
        "score over seeds",
        f"{overall['crafter_score_seed_mean']:.2f} ± {overall['crafter_score_seed_std']:.2f}",
    )
    table.add_row(
        "progression %", f"{overall['progression_mean']:.2f} ± {overall['progression_sem']:.2f}"
    )
    table.add_row("reward", f"{overall['reward_mean']:.2f} ± {overall['reward_std']:.2f}")
    table.add_row("episode length", f"{overall['length_mean']:.0f} world steps")
    table.add_row("LLM calls/step", str(overall["llm_calls_per_step"]))
    table.add_row("tokens/step", str(overall["tokens_per_step"]))
    if results["capped"]:
        table.add_row("note", f"capped at {results['controller_step_cap']} controller steps")
    made = ", ".join(p.name for p in paths.values() if p is not None)
    report("", table, folder=folder, files=made)


@bench_app.command()
def overhead(
    model: Annotated[
        str, typer.Option(help="'scripted' (test double: framework cost only), 'local', ...")
    ] = "scripted",
    steps: Annotated[int, typer.Option(min=2, help="Controller steps to time.")] = 200,
    env: Annotated[str, typer.Option(help="Environment to step.")] = "crafter",
    seed: Annotated[int, typer.Option()] = 0,
    durability: Annotated[
        str, typer.Option(help="When checkpoints are written: step, node or exit (docs/runs.md).")
    ] = "step",
    fsync: Annotated[
        bool, typer.Option(help="Force every write to the disk (survives a power cut).")
    ] = False,
    reference: Annotated[
        str, typer.Option(help="Model whose step the framework's share is taken of ('' for none).")
    ] = "local",
    reference_steps: Annotated[
        int, typer.Option(min=2, help="Controller steps of the reference model to time.")
    ] = 10,
    out: Annotated[Path | None, typer.Option(help="Default <home>/bench/overhead-<timestamp>.")] = (
        None
    ),
    home: HomeOption = None,
    env_option: EnvOptions = None,
) -> None:
    """Split a step's time into environment, LLM, perception and framework (median, p95)."""
    from agentkit.bench.overhead import measure_overhead
    from agentkit.runs.checkpoints import DURABILITY

    if durability not in DURABILITY:
        raise typer.BadParameter(f"--durability must be one of {', '.join(DURABILITY)}")
    folder = _out(out, home, "overhead-")
    label = f"timing {steps} steps of {env} with model {model}"
    if reference:
        label += f", then {reference_steps} with {reference}"
    with console.status(label):
        with exit_clearly():
            results = measure_overhead(
                model,
                steps,
                folder,
                env=env,
                env_options=parse_key_values(env_option),
                seed=seed,
                durability=durability,
                fsync=fsync,
                reference_model=reference or None,
                reference_steps=reference_steps,
            )
    results["command"] = "agentkit bench " + " ".join(sys.argv[2:])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "overhead.json").write_text(json.dumps(results, indent=2))
    title = f"{env}, model {model}, durability {durability}{', fsync' if fsync else ''}"
    table = Table("part", "median ms", "p95 ms", "share", title=title)
    for part in ("env", "llm", "perception", "framework", "step"):
        stats = results["seconds"][part]
        share = results["share"].get(part)
        table.add_row(
            part,
            f"{stats['median'] * 1000:.2f}",
            f"{stats['p95'] * 1000:.2f}",
            f"{share:.1%}" if share is not None else "100%",
        )
    notes = [f"[yellow]{results['note']}[/]"] if results["note"] else []
    if "reference" in results:
        step = results["reference"]["seconds"]["step"]["median"]
        notes.append(
            f"framework median {results['seconds']['framework']['median'] * 1000:.2f} ms = "
            f"{results['framework_share_of_reference_step']:.2%} of a {reference} step "
            f"(median {step * 1000:.0f} ms over {results['reference']['samples']} steps)"
        )
    notes.append(
        f"{results['samples']} of {results['steps']} steps timed over {len(results['runs'])} "
        "episode(s) (each episode's first step is left out)"
    )
    report(title, table, notes=notes, folder=folder, files="overhead.json")


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise typer.BadParameter(
            f"--skills takes integers like 1000,10000, got {text!r}"
        ) from error
    if not sizes or any(size < 0 for size in sizes):
        raise typer.BadParameter(f"--skills needs sizes of 0 or more, got {text!r}")
    return sizes


@bench_app.command()
def memory(
    skills: Annotated[
        str, typer.Option(help="Comma-separated numbers of synthetic skills, e.g. 1000,10000.")
    ] = "1000,10000",
    embedder: Annotated[
        list[str] | None,
        typer.Option(help="Embedder to measure (repeatable); default: every local one."),
    ] = None,
    queries: Annotated[
        int,
        typer.Option(
            min=1,
            help="Labelled queries per technique (50 dev, 200 test, then 50 dev with typos).",
        ),
    ] = 300,
    batch_size: Annotated[int, typer.Option(min=1, help="Skills added per add_many.")] = 1024,
    vector_cache: Annotated[
        Path | None,
        typer.Option(help="Folder keeping the corpus vectors (.npy) between runs."),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Default <home>/bench/memory-<timestamp>.")] = (
        None
    ),
    memory: Annotated[
        str | None,
        typer.Option(
            help="Measure the server backend: postgresql://USER@HOST:PORT/DB?chroma=http://HOST:PORT"
            " (each size in a new database there, dropped after)."
        ),
    ] = None,
    home: HomeOption = None,
) -> None:
    """The skill library's own search at scale: ingest, latency, top-5 per technique."""
    from agentkit.bench.memory import run_memory_bench, write_memory_results
    from agentkit.plugins import get_registry

    sizes = _sizes(skills)
    installed = get_registry().embedders
    # By default only embedders that run here: hosted ones need keys and the network.
    local = [n for n, e in installed.items() if not e.plugin.endswith("hosted_embedders")]
    chosen = embedder or sorted(local)
    unknown = [name for name in chosen if name not in installed]
    if unknown:
        known = ", ".join(sorted(installed)) or "none installed"
        raise fail(f"unknown embedder {unknown[0]!r} (installed: {known})")
    folder = _out(out, home, "memory-")
    with console.status("starting") as status:
        with exit_clearly():
            results = run_memory_bench(
                {name: installed[name] for name in chosen},
                sizes,
                folder,
                queries=queries,
                batch_size=batch_size,
                vector_cache=vector_cache,
                memory=memory,
                progress=status.update,
            )
    write_memory_results(results, folder)
    table = Table(
        "embedder",
        "skills",
        "embed/s",
        "write/s",
        "query p50/p99 ms",
        "top-5 dev",
        "top-5 test",
        title="memory (SkillLibrary.search, hybrid)",
    )
    for run in results["runs"]:
        cold, top5 = run["query"]["cold"], run["top5"]
        table.add_row(
            run["embedder"],
            f"{run['skills']:,}",
            f"{run['ingest']['embed_skills_per_s']:,.0f}",
            f"{run['ingest']['insert_skills_per_s']:,.0f}",
            f"{cold['p50_ms']:.1f} / {cold['p99_ms']:.1f}",
            f"{top5['dev']['accuracy']:.0%}",
            f"{top5['test']['accuracy']:.0%}" if top5["test"]["queries"] else "n/a",
        )
    report("", table, folder=folder, files="results.json, results.md")


@bench_app.command()
def learning(
    env: Annotated[str, typer.Option(help="Environment with a task suite.")] = "crafter",
    iterations: Annotated[int, typer.Option(min=1, help="Task attempts per condition.")] = 30,
    task_steps: Annotated[int, typer.Option(min=1, help="Agent steps per attempt.")] = 12,
    mode: Annotated[str, typer.Option(help="select or code.")] = "select",
    model: Annotated[str, typer.Option(help="A registered model or provider:name.")] = (
        DEFAULT_MODEL
    ),
    seed: Annotated[int, typer.Option()] = 0,
    knowledge: Annotated[
        bool, typer.Option(help="Plan from the world's rules (docs/knowledge.md).")
    ] = True,
    passes: Annotated[
        int, typer.Option(min=1, help="Runs per condition, each in a fresh world, same memory.")
    ] = 1,
    condition: Annotated[
        list[str] | None,
        typer.Option(
            help="full, no-skills, no-direct-reuse, no-critic, random-curriculum "
            "(repeat; default all)."
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Default <home>/bench/learning-<timestamp>.")] = (
        None
    ),
    home: HomeOption = None,
    env_option: EnvOptions = None,
) -> None:
    """Lifelong learning and its ablations: tasks completed, LLM calls, learning curves."""
    from agentkit.bench.learning import run_learning_bench
    from agentkit.runs.lifelong import LearnConfig

    folder = _out(out, home, "learning-")
    with exit_clearly():
        base = LearnConfig(
            env=env,
            iterations=iterations,
            task_steps=task_steps,
            mode=mode,
            model=model,
            seed=seed,
            knowledge=knowledge,
            env_options=parse_key_values(env_option),
        )
    bars = TaskProgress(iterations, lines=False)
    with bars:

        def update(name: str, kind: str, record: dict[str, Any]) -> None:
            bars.for_run(name)(kind, record)

        with exit_clearly():
            results = run_learning_bench(
                base, folder, conditions=condition, progress=update, passes=passes
            )
    table = Table("condition", "completed", "achievements", "LLM calls", "calls/completed")
    for name, summary in results.items():
        table.add_row(
            name,
            str(summary["tasks_completed"]),
            str(summary["achievement_count"]),
            str(summary["llm_calls"]),
            str(summary["llm_calls_per_completed_task"] or "-"),
        )
    report("", table, folder=folder, files="results.json, results.md, learning_curves.png")
