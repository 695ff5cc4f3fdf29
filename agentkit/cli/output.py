"""What every command shows: progress bars, errors and hints, the final report.

``agentkit run``, ``agentkit learn`` and ``agentkit bench`` share these, so a run looks
the same whichever command started it.

Errors end a command with one clear line and an exit code that says why: 2 bad input
(unknown environment or model, bad option, missing file); 3 the model failed; 130
interrupted; 1 anything else (``AGENTKIT_DEBUG=1`` shows the traceback instead). A command
that can be continued adds the line telling how (:class:`Launch`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from agentkit.controller import ControllerError

__all__ = [
    "Launch",
    "StepProgress",
    "TaskProgress",
    "console",
    "exit_clearly",
    "fail",
    "progress_bar",
    "report",
]

console = Console(stderr=True)
"""Messages, bars and tables go to stderr; stdout keeps what a script reads (a folder, JSON)."""


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: message`` and return the exit to raise."""
    console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code)


@contextmanager
def exit_clearly(hint: Callable[[], str] = lambda: "") -> Iterator[None]:
    """Turn the errors a command expects into exits; ``hint`` is called only on failure."""

    def say(message: str) -> None:
        console.print(message)
        if text := hint():
            console.print(text)

    try:
        yield
    except typer.Exit:
        raise
    except (LookupError, ValueError, FileNotFoundError, FileExistsError) as error:
        raise fail(str(error)) from error
    except ControllerError as error:
        say(f"[bold red]the model failed:[/] {error}")
        raise typer.Exit(3) from error
    except KeyboardInterrupt as error:
        say("[yellow]interrupted.[/]")
        raise typer.Exit(130) from error
    except Exception as error:
        if os.environ.get("AGENTKIT_DEBUG"):
            raise
        say(
            f"[bold red]error:[/] {type(error).__name__}: {error}\n"
            "(set AGENTKIT_DEBUG=1 for the traceback)"
        )
        raise typer.Exit(1) from error


class Launch:
    """A resumable run from the command line: says where it is, and how to continue it.

    ``created`` is the engine's ``on_created``; ``hint`` has nothing to say for a run that
    failed before its folder existed (there is nothing to resume).
    """

    def __init__(self, command: str, resume: str | None = None) -> None:
        self.command = command
        self.run_id = resume

    def created(self, path: Path) -> None:
        self.run_id = path.name
        console.print(f"run [bold]{path.name}[/] -> {path}")

    def hint(self) -> str:
        if not self.run_id:
            return ""
        return f"Continue with: agentkit {self.command} --resume {self.run_id}"


def progress_bar(*columns: ProgressColumn | str, quiet: bool = False) -> Progress:
    """A bar on the shared console: ``columns``, then the time elapsed."""
    return Progress(*columns, TimeElapsedColumn(), console=console, disable=quiet)


class StepProgress:
    """A bar over all steps of a run's episodes, with achievements and LLM calls.

    Used as ``with StepProgress(...) as update:``; ``update(episode, record)`` is the run's
    ``progress`` callback.
    """

    def __init__(self, max_steps: int, episodes: int, quiet: bool = False) -> None:
        self.max_steps = max_steps
        self.total = max_steps * episodes
        self.bar = progress_bar(
            TextColumn("[bold]ep {task.fields[episode]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("achievements {task.fields[achievements]}"),
            TextColumn("LLM calls {task.fields[calls]}"),
            quiet=quiet,
        )
        self.achievements: set[str] = set()

    def __enter__(self) -> Callable[[int, dict[str, Any]], None]:
        self.bar.start()
        task = self.bar.add_task("run", total=self.total, episode=0, achievements=0, calls=0)

        def update(episode: int, record: dict[str, Any]) -> None:
            self.achievements.update(record.get("info", {}).get("achievements_unlocked", []))
            self.bar.update(
                task,
                completed=episode * self.max_steps + record["step"],
                episode=episode,
                achievements=len(self.achievements),
                calls=record.get("llm_calls", 0),
            )

        return update

    def __exit__(self, *exc: Any) -> None:
        self.bar.stop()


class TaskProgress:
    """Bars over task attempts (a lifelong run's), one per run name.

    ``update(kind, record)`` is a lifelong run's ``progress`` callback (``for_run(name)``
    gives one per run of a benchmark): a ``step`` shows the task and step in the bar's
    status, a ``task`` advances the bar and, with ``lines``, prints the attempt's line.
    """

    def __init__(self, iterations: int, *, lines: bool = True, quiet: bool = False) -> None:
        self.iterations = iterations
        self.lines = lines
        self.bar = progress_bar(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[status]}"),
            quiet=quiet,
        )
        self.bars: dict[str, Any] = {}

    def __enter__(self) -> Callable[[str, dict[str, Any]], None]:
        self.bar.start()
        return self.for_run("tasks")

    def __exit__(self, *exc: Any) -> None:
        self.bar.stop()

    def for_run(self, name: str) -> Callable[[str, dict[str, Any]], None]:
        def update(kind: str, record: dict[str, Any]) -> None:
            if name not in self.bars:
                self.bars[name] = self.bar.add_task(name, total=self.iterations, status="")
            bar_id = self.bars[name]
            if kind == "step":
                status = f"{record.get('task', '')[:28]} · step {record['step']}"
                self.bar.update(bar_id, status=status)
                return
            done = bool(record.get("truth"))
            if self.lines:
                mark = "[green]done[/]" if done else "[red]failed[/]"
                self.bar.console.print(
                    f"  {record['iteration'] + 1:>3}. {record['task']:<24} {mark}"
                    f" in {record['steps']} steps, {record['llm_calls']} LLM calls"
                    + (f", learned {record['skill']}" if record.get("skill") else "")
                )
            status = "done" if done else "failed"
            self.bar.update(bar_id, completed=record["iteration"] + 1, status=status)

        return update


def report(
    title: str,
    rows: list[tuple[str, str]] | Table,
    *,
    folder: Path | None = None,
    files: str = "",
    notes: list[str] | None = None,
    summary: dict[str, Any] | None = None,
    as_json: bool = False,
    indent: int | None = 2,
) -> None:
    """The end of a command: the summary as JSON on stdout, or a table and where to look.

    ``rows`` are (name, value) pairs or a ready table; ``notes`` are lines after it. With
    ``folder`` the results' folder is named, and is the last line on stdout, for scripts.
    """
    if as_json:
        print(json.dumps(summary, indent=indent, default=str))
        return
    if isinstance(rows, Table):
        table = rows
    else:
        table = Table(title=title, show_header=False)
        for key, value in rows:
            table.add_row(key, value)
    console.print(table)
    for note in notes or []:
        console.print(note)
    if folder is not None:
        console.print(f"results: [bold]{folder}[/]" + (f" ({files})" if files else ""))
        print(folder)
