"""``agentkit skills …`` and ``agentkit episodes …``: the lifelong memory from the shell.

The memory lives under ``<home>/memory``, or on the servers named by ``--memory
postgresql://...?chroma=...`` (or ``AGENTKIT_MEMORY``; docs/memory.md). Browsing it (list,
show, export) embeds nothing (unless opening must repair an index a crash left behind), so
these commands stay fast and need no model loaded; search, import and reindex embed.
Commands that only read do not create a memory folder that is not there, so browsing an
empty home never ties it to an embedder.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table

from agentkit.cli.output import console
from agentkit.export import FORMATS, export_episodes
from agentkit.memory import (
    Embedder,
    EmbedderError,
    EmbedderMismatch,
    EpisodicMemory,
    MemoryBusy,
    MemoryCorrupt,
    MemoryLocation,
    SkillHit,
    SkillLibrary,
    UnknownEmbedder,
    memory_location,
    open_memory,
    resolve_embedder,
)
from agentkit.options import HomeOption
from agentkit.plugins import get_registry
from agentkit.runs.folder import default_home

__all__ = ["DEFAULT_EMBEDDER", "episodes_app", "skills_app"]

DEFAULT_EMBEDDER = "minilm"

skills_app = typer.Typer(
    help="The skill library: list, show, search, export and import skills.",
    no_args_is_help=True,
)
episodes_app = typer.Typer(
    help="Episodic memory: list and show episodes, export verified ones for fine-tuning.",
    no_args_is_help=True,
)

EmbedderOption = Annotated[
    str, typer.Option("--embedder", help="Embedder of the memory's index (see agentkit plugins).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON on stdout.")]
MemoryOption = Annotated[
    str | None,
    typer.Option(
        "--memory",
        envvar="AGENTKIT_MEMORY",
        help="Where the memory lives: a home folder (default: the home), or "
        "postgresql://USER@HOST:PORT/DB?chroma=http://HOST:PORT for the shared server set-up.",
    ),
]


def _fail(message: str) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(2)


def _where(home: Path | None, memory: str | None) -> MemoryLocation:
    try:
        return memory_location(memory or home or default_home())
    except ValueError as error:
        raise _fail(str(error)) from error


def _exists(home: Path | None, memory: str | None) -> bool:
    """Whether there is a memory to read (a server's database is always there to ask)."""
    where = _where(home, memory)
    return where.folder is None or where.folder.exists()


def _embedder(name: str) -> Embedder:
    """The registered embedder ``name``; building it does not load a model yet."""
    try:
        return resolve_embedder(name, get_registry())
    except UnknownEmbedder as error:
        raise _fail(str(error)) from error


@contextlib.contextmanager
def _memory(
    home: Path | None, embedder: str, memory: str | None = None
) -> Iterator[tuple[SkillLibrary, EpisodicMemory]]:
    """Open the memory, turning the errors a user can fix into a message and exit code 2."""
    try:
        skills, episodes = open_memory(_where(home, memory), _embedder(embedder))
    except (EmbedderMismatch, EmbedderError, MemoryBusy, MemoryCorrupt) as error:
        raise _fail(str(error)) from error
    try:
        yield skills, episodes
    except (EmbedderMismatch, EmbedderError) as error:
        raise _fail(str(error)) from error
    finally:
        skills.close()
        episodes.close()


def _when(created: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(created)) if created else ""


def _verdict(success: bool | None, yes: str, no: str, unknown: str) -> str:
    return unknown if success is None else yes if success else no


def _dump(model: Any) -> dict[str, Any]:
    return dict(model.model_dump(mode="json"))


# --------------------------------------------------------------------------- skills


@skills_app.command("list")
def skills_list(
    env: Annotated[str | None, typer.Option("--env", help="Only this environment.")] = None,
    home: HomeOption = None,
    memory_at: MemoryOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    as_json: JsonOption = False,
) -> None:
    """List the latest version of every skill."""
    found = []
    if _exists(home, memory_at):
        with _memory(home, embedder, memory_at) as (library, _):
            found = library.list(environment=env)
    if as_json:
        print(json.dumps([_dump(skill) for skill in found], indent=2))
        return
    table = Table("name", "version", "environment", "ok", "failed", "description")
    table.columns[-1].overflow = "ellipsis"
    for skill in found:
        table.add_row(
            skill.name,
            str(skill.version),
            skill.environment,
            str(skill.successes),
            str(skill.failures),
            skill.description,
        )
    Console().print(table)
    console.print(f"{len(found)} skill(s)")


@skills_app.command("show")
def skills_show(
    name: Annotated[str, typer.Argument(help="Skill name.")],
    version: Annotated[int | None, typer.Option(help="A version other than the latest.")] = None,
    home: HomeOption = None,
    memory_at: MemoryOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    as_json: JsonOption = False,
) -> None:
    """Show a skill: its code, versions, verdicts and outcome counts."""
    if not _exists(home, memory_at):
        raise _fail(f"no skill {name!r}: there is no memory under {_where(home, memory_at)}")
    with _memory(home, embedder, memory_at) as (library, _):
        skill = library.get(name, version)
        versions = library.versions(name) if skill is not None else []
    if skill is None:
        which = f" version {version}" if version is not None else ""
        raise _fail(f"no skill {name!r}{which}; see agentkit skills list")
    if as_json:
        payload = {**_dump(skill), "versions": [v.version for v in versions]}
        print(json.dumps(payload, indent=2))
        return
    out = Console()
    out.print(
        f"[bold]{skill.name}[/] v{skill.version}  {skill.environment}  {skill.language}",
        highlight=False,
    )
    out.print(skill.description, highlight=False)
    parent = f"v{skill.parent_version}" if skill.parent_version is not None else "none"
    out.print(
        f"successes {skill.successes}  failures {skill.failures}  parent {parent}  "
        f"from episode {skill.episode or '-'}  created {_when(skill.created)}",
        highlight=False,
    )
    out.print(Syntax(skill.code, skill.language or "python", line_numbers=True))
    table = Table("version", "created", "ok", "failed", "episode", title="versions")
    for each in versions:
        table.add_row(
            str(each.version),
            _when(each.created),
            str(each.successes),
            str(each.failures),
            each.episode or "",
        )
    out.print(table)
    if skill.verdicts:
        out.print("[bold]verdicts[/]")
        for verdict in skill.verdicts:
            out.print("  " + ", ".join(f"{k}={v}" for k, v in verdict.items()), highlight=False)


@skills_app.command("search")
def skills_search(
    query: Annotated[str, typer.Argument(help="What the skill should do.")],
    k: Annotated[int, typer.Option("-k", min=1, help="How many skills.")] = 5,
    env: Annotated[str | None, typer.Option("--env", help="Only this environment.")] = None,
    home: HomeOption = None,
    memory_at: MemoryOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    as_json: JsonOption = False,
) -> None:
    """The skills nearest to QUERY by meaning (embeds the query)."""
    hits: list[SkillHit] = []
    if _exists(home, memory_at):
        with _memory(home, embedder, memory_at) as (library, _):
            hits = library.search(query, k=k, environment=env)
    if as_json:
        rows = [{"score": hit.score, **_dump(hit.skill)} for hit in hits]
        print(json.dumps(rows, indent=2))
        return
    table = Table("score", "name", "version", "environment", "description")
    for hit in hits:
        skill = hit.skill
        table.add_row(
            f"{hit.score:.3f}", skill.name, str(skill.version), skill.environment, skill.description
        )
    Console().print(table)


@skills_app.command("export")
def skills_export(
    path: Annotated[Path, typer.Argument(help="Skill pack file to write.")],
    home: HomeOption = None,
    memory_at: MemoryOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
) -> None:
    """Write every skill (all versions) to a skill pack another home can import."""
    if not _exists(home, memory_at):
        raise _fail(f"there is no memory under {_where(home, memory_at)}: nothing to export")
    with _memory(home, embedder, memory_at) as (library, _):
        try:
            count = library.export_pack(path)
        except OSError as error:
            raise _fail(f"cannot write {path}: {error}") from error
    console.print(f"exported {count} skill version(s) to [bold]{path}[/]")


@skills_app.command("import")
def skills_import(
    path: Annotated[Path, typer.Argument(help="Skill pack file to read.")],
    home: HomeOption = None,
    memory_at: MemoryOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    as_json: JsonOption = False,
) -> None:
    """Add the skills of a skill pack; known code is left alone, changed code is versioned."""
    if not path.is_file():
        raise _fail(f"no skill pack at {path}")
    with _memory(home, embedder, memory_at) as (library, _):
        try:
            counts = library.import_pack(path)
        except (OSError, ValueError) as error:
            raise _fail(str(error)) from error
    if as_json:
        print(json.dumps(counts))
        return
    console.print(
        f"imported {path}: {counts.get('added', 0)} added, {counts.get('versioned', 0)} "
        f"new version(s), {counts.get('unchanged', 0)} unchanged"
    )


@skills_app.command("reindex")
def skills_reindex(
    embedder: Annotated[str, typer.Option("--embedder", help="The embedder to switch to.")],
    home: HomeOption = None,
    memory_at: MemoryOption = None,
) -> None:
    """Rebuild the skill and episode indexes with another embedder (embeds every record)."""
    new = _embedder(embedder)
    try:
        skills, episodes = open_memory(_where(home, memory_at), new, reindex=True)
    except (EmbedderError, MemoryBusy, MemoryCorrupt) as error:
        raise _fail(str(error)) from error
    try:
        reports = [skills.check(), episodes.check()]
    finally:
        skills.close()
        episodes.close()
    for report in reports:
        console.print(
            f"{report['kind']}: {report['indexed']} record(s) indexed with {report['embedder']} "
            f"({report['dimension']} dimensions)"
        )


# --------------------------------------------------------------------------- episodes


@episodes_app.command("list")
def episodes_list(
    run: Annotated[str | None, typer.Option("--run", help="Only this run id.")] = None,
    success: Annotated[
        bool | None,
        typer.Option("--success/--failed", help="Only verified, or only failed, episodes."),
    ] = None,
    home: HomeOption = None,
    memory_at: MemoryOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    as_json: JsonOption = False,
) -> None:
    """List episodes, oldest first."""
    found = []
    if _exists(home, memory_at):
        with _memory(home, embedder, memory_at) as (_, memory):
            found = memory.list(run_id=run, success=success)
    if as_json:
        print(json.dumps([_dump(episode) for episode in found], indent=2))
        return
    table = Table("id", "environment", "success", "actions", "skill", "task")
    table.columns[0].no_wrap = True
    table.columns[-1].overflow = "ellipsis"
    for episode in found:
        verdict = _verdict(episode.success, "[green]yes[/]", "[red]no[/]", "?")
        table.add_row(
            episode.id,
            episode.environment,
            verdict,
            str(len(episode.actions)),
            episode.skill or "",
            episode.task,
        )
    Console().print(table)
    console.print(f"{len(found)} episode(s)")


@episodes_app.command("show")
def episodes_show(
    episode_id: Annotated[str, typer.Argument(metavar="ID", help="<run id>:<iteration>")],
    home: HomeOption = None,
    memory_at: MemoryOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    as_json: JsonOption = False,
) -> None:
    """Show one episode: task, plan, actions, verdict, critique, metrics and frames."""
    episode = None
    if _exists(home, memory_at):
        with _memory(home, embedder, memory_at) as (_, memory):
            episode = memory.get(episode_id)
    if episode is None:
        raise _fail(f"no episode {episode_id!r}; see agentkit episodes list")
    if as_json:
        print(json.dumps(_dump(episode), indent=2))
        return
    out = Console()
    verdict = _verdict(episode.success, "[green]verified[/]", "[red]failed[/]", "unjudged")
    out.print(f"[bold]{episode.id}[/]  {episode.environment}  {verdict}", highlight=False)
    out.print(f"task: {episode.task}", highlight=False)
    for title, items in (("plan", episode.plan), ("actions", episode.actions)):
        if items:
            out.print(f"[bold]{title}[/]")
            for number, item in enumerate(items, 1):
                out.print(f"  {number}. {item}", highlight=False)
    if episode.critique:
        out.print(f"[bold]critique[/] {episode.critique}", highlight=False)
    if episode.metrics:
        out.print("[bold]metrics[/] " + ", ".join(f"{k}={v}" for k, v in episode.metrics.items()))
    if episode.skill:
        out.print(f"[bold]skill[/] {episode.skill}", highlight=False)
    if episode.frames:
        folder = (home or default_home()) / "runs" / episode.run_id
        out.print(f"[bold]frames[/] {len(episode.frames)} under {folder}", highlight=False)


@episodes_app.command("export")
def episodes_export(
    fmt: Annotated[str, typer.Option("--format", help="sharegpt (LLaMA-Factory) or llava.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the data set to.")],
    run: Annotated[str | None, typer.Option("--run", help="Only this run id.")] = None,
    home: HomeOption = None,
    memory_at: MemoryOption = None,
    embedder: EmbedderOption = DEFAULT_EMBEDDER,
    as_json: JsonOption = False,
) -> None:
    """Export verified episodes as an image+text instruction-tuning data set."""
    if fmt not in FORMATS:
        raise _fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    verified = []
    if _exists(home, memory_at):
        with _memory(home, embedder, memory_at) as (_, memory):
            verified = memory.list(run_id=run, success=True)
    if not verified:
        where = f" of run {run!r}" if run else ""
        raise _fail(
            f"no verified episodes{where} under {home or default_home()}: only episodes the "
            "critic judged successful are exported (see agentkit episodes list --success)"
        )
    try:
        report = export_episodes(verified, home or default_home(), out, fmt)
    except (FileExistsError, NotADirectoryError) as error:
        raise _fail(str(error)) from error
    if as_json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        console.print(
            f"{report.episodes} episode(s), {report.samples} sample(s), {report.images} "
            f"image(s) -> [bold]{out}[/] ({fmt})"
        )
        for skipped in report.skipped:
            console.print(f"[yellow]skipped[/] {skipped['episode']}: {skipped['reason']}")
    if report.samples == 0:
        raise _fail("none of the verified episodes could be exported (see the reasons above)")
