"""``agentkit plugins``: list the loaded plugins (the default) or scaffold a new one.

``plugins`` used to be a single command; it is now a group whose callback keeps
``agentkit plugins`` and ``agentkit plugins --json`` behaving exactly as before, with
``list`` as an explicit spelling and ``new`` to generate a plugin package.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from agentkit.cli.output import console
from agentkit.plugins import get_registry
from agentkit.scaffold import KINDS, ScaffoldError, scaffold

__all__ = ["list_plugins", "new", "plugins_group"]


def list_plugins(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
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


def new(
    name: Annotated[str, typer.Argument(help="Plugin name: lowercase letters, digits, dashes.")],
    kind: Annotated[str, typer.Option(help=f"One of: {', '.join(KINDS)}.")],
    directory: Annotated[
        Path, typer.Option("--dir", help="Where to create agentkit-NAME/.")
    ] = Path("."),
    distribution: Annotated[
        str | None,
        typer.Option("--dist-name", help="Name on PyPI (default agentkit-NAME; see README)."),
    ] = None,
) -> None:
    """Create agentkit-NAME/: an installable plugin with a working example and its tests."""
    try:
        made = scaffold(name, kind, directory, distribution=distribution)
    except ScaffoldError as error:
        console.print(f"[bold red]error:[/] {error}")
        raise typer.Exit(2) from error
    console.print(
        f"created {made.folder} ({len(made.files)} files): {made.kind} plugin {made.name}, "
        f"import package {made.package}, distribution {made.distribution}",
        markup=False,
    )
    console.print(
        "next steps:\n"
        f"  cd {made.folder}\n"
        "  pip install -e '.[test]'   # into the environment where agentkit is installed\n"
        "  pytest                     # agentkit's contract suite + the example's tests\n"
        f"  agentkit plugins           # lists {made.name}\n"
        "then edit the example, keep the tests green, and see README.md to publish.",
        markup=False,
    )
    print(made.folder)


def plugins_group(list_plugins: Callable[..., None] = list_plugins) -> typer.Typer:
    """The ``plugins`` group around ``list_plugins(as_json=...)``, which stays the default."""
    group = typer.Typer(
        help="List loaded plugins (the default) or create a new one.", add_completion=False
    )

    @group.callback(invoke_without_command=True)
    def plugins(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
    ) -> None:
        """List loaded plugins with their versions and hooks, or create one with `new`."""
        if ctx.invoked_subcommand is None:
            list_plugins(as_json=as_json)

    @group.command("list")
    def list_command(
        as_json: Annotated[bool, typer.Option("--json", help="Print the list as JSON.")] = False,
    ) -> None:
        """List loaded plugins with their versions and hooks, and any that failed to load."""
        list_plugins(as_json=as_json)

    group.command("new")(new)
    return group
