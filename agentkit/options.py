"""``KEY=VALUE`` options from the command line (``-E``, ``-M``), for core and plugin commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["EnvOptions", "HomeOption", "parse_key_values"]


HomeOption = Annotated[Path | None, typer.Option(help="Defaults to $AGENTKIT_HOME or ./.agentkit")]
EnvOptions = Annotated[
    list[str] | None,
    typer.Option("--env-option", "-E", help="KEY=VALUE passed to the environment (repeat)."),
]


def parse_key_values(pairs: list[str] | None) -> dict[str, Any]:
    """``KEY=VALUE`` pairs; values that read as JSON (numbers, true, false) are converted."""
    options: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"expected KEY=VALUE, got {pair!r}")
        try:
            options[key] = json.loads(value)
        except json.JSONDecodeError:
            options[key] = value
    return options
