"""``agentkit ui``: the local web viewer, added through the public ``register_commands`` hook.

The web stack (Starlette, uvicorn) is imported only when the command runs, so the CLI
starts as fast with this plugin as without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from agentkit.options import HomeOption
from agentkit.plugins.hookspecs import hookimpl


@hookimpl
def register_commands(cli: Any) -> None:
    cli.command(name="ui")(ui)


def ui(
    home: HomeOption = None,
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0: any free).")
    ] = 8765,
    results: Annotated[
        list[Path] | None,
        typer.Option(help="More folders of bench results to chart, e.g. docs/benchmarks (repeat)."),
    ] = None,
    allow_write: Annotated[
        bool,
        typer.Option(
            "--allow-write",
            help="Allow deleting runs and importing skills, with a token printed at start.",
        ),
    ] = False,
    embedder: Annotated[
        str, typer.Option(help="Embedder of the memory, for importing skills.")
    ] = "minilm",
) -> None:
    """Browse runs, replays, skills, episodes, learning curves and bench results on localhost."""
    from agentkit.runs.folder import default_home
    from agentkit.ui.actions import WriteAccess
    from agentkit.ui.server import serve

    folder = home or default_home()
    write = WriteAccess(enabled=allow_write)
    mode = "writes allowed with the token in this URL" if allow_write else "read-only"
    typer.echo(f"agentkit ui over {folder.resolve()} ({mode}); Ctrl-C stops it", err=True)
    serve(folder, port=port, results=results or [], write=write, embedder=embedder)
