"""How every command ends on an error: one clear line and an exit code that says why.

2: bad input (unknown environment or model, bad option, missing file); 3: the model failed;
130: interrupted; 1: anything else (``AGENTKIT_DEBUG=1`` shows the traceback instead). A
command that can be continued adds the line telling how.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from agentkit.controller import ControllerError

__all__ = ["exit_clearly"]


@contextmanager
def exit_clearly(console: Console, hint: Callable[[], str] = lambda: "") -> Iterator[None]:
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
        console.print(f"[bold red]error:[/] {error}")
        raise typer.Exit(2) from error
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
