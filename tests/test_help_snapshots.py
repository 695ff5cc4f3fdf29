"""Every command's ``--help``, plugin commands included, matches its snapshot.

The snapshots are plain text in ``tests/snapshots/help/`` (one file per command, named by
its path: ``agentkit-skills-search.txt``), so a change to a command's options shows in the
diff next to the docs it should update. The help is rendered in a child process, as
``agentkit`` builds it (plugin commands registered the way ``main`` does), at a fixed width
of 100 columns without colour. After changing a command on purpose, refresh with::

    AGENTKIT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_help_snapshots.py

and review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "help"
UPDATE = os.environ.get("AGENTKIT_UPDATE_SNAPSHOTS") == "1"
WIDTH = 100
# A fixed terminal for rich and click: width, no colour, no terminal detection.
HELP_ENV = {
    "COLUMNS": str(WIDTH),
    "LINES": "50",
    "TERMINAL_WIDTH": str(WIDTH),
    "NO_COLOR": "1",
    "TERM": "dumb",
    "_TYPER_FORCE_DISABLE_TERMINAL": "1",
}


def render_all() -> dict[str, str]:
    """``{"agentkit run": help text, ...}`` for every visible command and group."""
    import typer
    from typer.testing import CliRunner

    from agentkit import cli
    from agentkit.plugins import call_isolated, get_registry

    registry = get_registry()
    call_isolated(registry, "register_commands", lambda impl: impl.function(cli=cli.app))
    root = typer.main.get_command(cli.app)
    runner = CliRunner()
    found: dict[str, str] = {}

    def visit(command: Any, path: list[str]) -> None:  # typer's own (vendored) click
        done = runner.invoke(
            cli.app, [*path, "--help"], prog_name="agentkit", env=HELP_ENV, terminal_width=WIDTH
        )
        if done.exit_code != 0:
            raise RuntimeError(f"agentkit {' '.join(path)} --help failed: {done.output}")
        # rich pads each line to the width: the snapshot keeps the text, not the padding
        text = "".join(line.rstrip() + "\n" for line in done.output.splitlines())
        found[" ".join(["agentkit", *path])] = text
        if hasattr(command, "list_commands"):  # a group
            context = command.context_class(command)
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                if sub is not None and not sub.hidden:
                    visit(sub, [*path, name])

    visit(root, [])
    return found


def snapshot_name(command: str) -> str:
    return command.replace(" ", "-") + ".txt"


@pytest.fixture(scope="module")
def helps() -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, __file__],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **HELP_ENV},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, str] = json.loads(done.stdout)
    if UPDATE:
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        for stale in set(SNAPSHOTS.glob("*.txt")) - {SNAPSHOTS / snapshot_name(c) for c in found}:
            stale.unlink()
        for command, text in found.items():
            (SNAPSHOTS / snapshot_name(command)).write_text(text)
    return found


def test_the_commands_include_the_core_and_plugin_ones(helps: dict[str, str]) -> None:
    assert {"agentkit", "agentkit run", "agentkit skills search", "agentkit plugins"} <= set(helps)
    # registered by plugins through register_commands
    assert {"agentkit models", "agentkit models install", "agentkit minecraft"} <= set(helps)
    assert "agentkit bench" in helps


def test_every_command_has_a_snapshot_and_every_snapshot_a_command(helps) -> None:
    stored = {path.name for path in SNAPSHOTS.glob("*.txt")}
    wanted = {snapshot_name(command) for command in helps}
    assert wanted - stored == set(), (
        "commands without a snapshot: refresh with AGENTKIT_UPDATE_SNAPSHOTS=1 (see the docstring)"
    )
    assert stored - wanted == set(), "snapshots of commands that no longer exist"


def test_every_help_matches_its_snapshot(helps: dict[str, str]) -> None:
    changed = [
        command
        for command, text in sorted(helps.items())
        if (SNAPSHOTS / snapshot_name(command)).exists()
        and (SNAPSHOTS / snapshot_name(command)).read_text() != text
    ]
    assert changed == [], (
        f"--help changed for {changed}: update the docs that describe them, then refresh the "
        "snapshots with AGENTKIT_UPDATE_SNAPSHOTS=1 (see this file's docstring)"
    )


def test_the_help_is_rendered_at_the_fixed_width(helps: dict[str, str]) -> None:
    widths = {command: max(map(len, text.splitlines())) for command, text in helps.items()}
    assert max(widths.values()) == WIDTH, widths  # rich's panels fill the width exactly
    assert not any("\x1b[" in text for text in helps.values())  # no colour codes


if __name__ == "__main__":
    json.dump(render_all(), sys.stdout)
