"""``KEY=VALUE`` options from the command line (``-E``, ``-M``), for core and plugin commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = [
    "CheckpointerOption",
    "DurabilityOption",
    "EnvOptions",
    "HomeOption",
    "ModelOptions",
    "parse_extra_options",
    "parse_flag",
    "parse_key_values",
]


HomeOption = Annotated[Path | None, typer.Option(help="Defaults to $AGENTKIT_HOME or ./.agentkit")]
EnvOptions = Annotated[
    list[str] | None,
    typer.Option("--env-option", "-E", help="KEY=VALUE passed to the environment (repeat)."),
]
ModelOptions = Annotated[
    list[str] | None,
    typer.Option("--model-option", "-M", help="KEY=VALUE passed to the model (repeat)."),
]
DurabilityOption = Annotated[
    str,
    typer.Option(
        metavar="step|node|exit",
        help="When checkpoints are saved: each step, each node, or at exit (docs/runs.md).",
    ),
]
CheckpointerOption = Annotated[
    str | None,
    typer.Option(
        metavar="postgresql://...",
        help="Keep checkpoints in this PostgreSQL database instead of the run folder.",
    ),
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


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def parse_flag(value: Any, name: str) -> bool:
    """An on/off option given from Python (a bool) or as text (true/false, yes/no, on/off, 1/0).

    Anything else is an error naming the option: ``-E render=ture`` must not quietly mean on.
    """
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{name} must be true or false, got {value!r}")


def parse_extra_options(args: list[str]) -> dict[str, Any]:
    """Options the command does not know, as environment options.

    ``--server HOST:PORT --mc-version 1.20.4`` reads better than ``-E server=...``; each
    ``--name VALUE`` (or ``--name=VALUE``) becomes ``name=VALUE`` with dashes as underscores.
    Values stay text (``1.20`` is a version, not the number 1.2); adapters parse them.
    """
    options: dict[str, Any] = {}
    rest = list(args)
    while rest:
        word = rest.pop(0)
        if not word.startswith("--") or len(word) < 3:
            raise typer.BadParameter(f"unexpected argument {word!r}")
        name, sep, value = word[2:].partition("=")
        if not sep:
            if not rest or rest[0].startswith("--"):
                raise typer.BadParameter(f"--{name} needs a value")
            value = rest.pop(0)
        options[name.replace("-", "_")] = value
    return options
