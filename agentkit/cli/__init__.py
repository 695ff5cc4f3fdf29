"""The ``agentkit`` command line (typer + rich), one module per command group.

- :mod:`~agentkit.cli.run`: ``run`` and ``runs`` (single runs);
- :mod:`~agentkit.cli.learn`: ``learn`` (lifelong runs);
- :mod:`~agentkit.cli.bench`: ``bench`` (added by the built-in bench plugin);
- :mod:`~agentkit.cli.memory`: ``skills`` and ``episodes`` (the lifelong memory);
- :mod:`~agentkit.cli.plugins`: ``plugins`` (list, scaffold a new one);
- :mod:`~agentkit.cli.output`: what they all show: progress bars, errors and resume hints,
  the final report.

Plugins add commands through the ``register_commands`` hook, called by :func:`main`.
"""

from __future__ import annotations

import typer

from agentkit.cli import learn, memory, plugins, run
from agentkit.plugins import call_isolated, get_registry

__all__ = ["app", "main"]

app = typer.Typer(
    help="agentkit: cross-modal LLM agents.", no_args_is_help=True, add_completion=False
)
app.add_typer(memory.skills_app, name="skills")
app.add_typer(memory.episodes_app, name="episodes")
app.command()(learn.learn)
app.command(context_settings=run.RUN_CONTEXT)(run.run)
app.command()(run.runs)
app.add_typer(plugins.plugins_group(), name="plugins")


def main() -> None:
    """Entry point: add plugin commands, then run the CLI."""
    registry = get_registry()
    call_isolated(registry, "register_commands", lambda impl: impl.function(cli=app))
    app()
