"""agentkit plugin entry point: the ``minecraft`` environment and ``agentkit minecraft``.

``agentkit minecraft setup`` installs the pinned Node dependencies (``npm ci``);
``agentkit minecraft serve`` runs the bundled test server in the foreground, for a person
to join or for ``-E server=127.0.0.1:25565`` runs that share one world.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from typing import Annotated, Any

import typer
from agentkit.plugins.hookspecs import hookimpl

__all__ = ["make_minecraft", "minecraft_app", "register_commands", "register_environments"]

minecraft_app = typer.Typer(
    name="minecraft", help="The Minecraft environment: install its Node parts, run a test server.",
    no_args_is_help=True,
)


def make_minecraft(spec: str = "", **options: Any) -> Any:
    """Build a :class:`MinecraftEnvironment`; ``spec`` must be empty (use options)."""
    if spec:
        raise ValueError(
            f"minecraft has no variants; got 'minecraft:{spec}' (use -E server=HOST:PORT, "
            "-E mc_version=..., -E username=...)"
        )
    from agentkit_minecraft.env import MinecraftEnvironment

    return MinecraftEnvironment(**options)


@hookimpl
def register_environments(register: Callable[..., None]) -> None:
    register(
        "minecraft",
        make_minecraft,
        description="Minecraft via a mineflayer bot (bundled offline test server, or "
        "-E server=HOST:PORT); primitives and JavaScript programs",
    )


@hookimpl
def register_commands(cli: Any) -> None:
    cli.add_typer(minecraft_app, name="minecraft")


@minecraft_app.command()
def setup() -> None:
    """Install the bridge's and test server's Node dependencies (npm ci, pinned versions)."""
    from agentkit_minecraft.processes import JS_DIR

    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        typer.echo("error: Node.js 20+ and npm are needed (e.g. `apt-get install nodejs npm`).",
                   err=True)
        raise typer.Exit(2)
    typer.echo(f"Installing the pinned Node dependencies in {JS_DIR} (npm ci) ...")
    done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS_DIR, check=False)
    if done.returncode != 0:
        typer.echo(f"error: `npm ci` failed in {JS_DIR} (exit {done.returncode}); see above.",
                   err=True)
        raise typer.Exit(done.returncode)
    typer.echo("Done: the Minecraft environment can start its bridge and test server.")


@minecraft_app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0 picks a free one).")] = 25565,
    seed: Annotated[int, typer.Option(help="World seed.")] = 0,
    version: Annotated[str, typer.Option(help="Minecraft Java version.")] = "1.20.4",
) -> None:
    """Run the bundled test server (flying-squid, offline, in memory) until Ctrl-C."""
    from agentkit_minecraft.processes import NodeProcessError
    from agentkit_minecraft.server import TestServer

    server = TestServer(port=port, seed=seed, version=version)
    try:
        server.start()
    except NodeProcessError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error
    try:  # entered before the address is printed: a Ctrl-C right after it stops cleanly
        typer.echo(f"Minecraft {version} test server (seed {seed}) on {server.address}; "
                   f"join with -E server={server.address}. Ctrl-C stops it.")
        while server.alive:
            time.sleep(0.5)
        typer.echo(f"error: {server.describe_exit()}", err=True)
        raise typer.Exit(1)
    except KeyboardInterrupt:
        typer.echo("stopping")
    finally:
        server.stop()
