"""The built-in plugin that adds ``agentkit bench`` (:mod:`agentkit.cli.bench`).

It uses only the public ``register_commands`` hook, as a third party's would.
"""

from __future__ import annotations

from typing import Any

from agentkit.plugins.hookspecs import hookimpl


@hookimpl
def register_commands(cli: Any) -> None:
    from agentkit.cli.bench import bench_app

    cli.add_typer(bench_app, name="bench")
