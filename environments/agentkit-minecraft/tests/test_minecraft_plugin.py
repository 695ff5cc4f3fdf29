"""The plugin registers the environment and the ``agentkit minecraft`` commands."""

from __future__ import annotations

from importlib import metadata

import pytest
import typer
from typer.testing import CliRunner

from agentkit_minecraft import MinecraftEnvironment
from agentkit_minecraft.plugin import make_minecraft, register_commands, register_environments


def test_hook_registers_minecraft() -> None:
    seen = {}
    register_environments(lambda name, factory, description="": seen.update({name: factory}))
    env = seen["minecraft"]("", server="127.0.0.1:25570", username="steve")
    assert isinstance(env, MinecraftEnvironment)
    assert env.external == ("127.0.0.1", 25570) and env.username == "steve"
    with pytest.raises(ValueError, match="no variants"):
        make_minecraft("hard")


def test_commands_are_added() -> None:
    cli = typer.Typer()

    @cli.command()
    def other() -> None: ...

    register_commands(cli)
    result = CliRunner().invoke(cli, ["minecraft", "--help"])
    assert result.exit_code == 0 and "setup" in result.output and "serve" in result.output
    result = CliRunner().invoke(cli, ["minecraft", "serve", "--help"])
    assert "--port" in result.output and "--seed" in result.output


def test_entry_point_is_declared() -> None:
    dist = metadata.distribution("xmodal-agentkit-minecraft")
    points = [ep for ep in dist.entry_points if ep.group == "agentkit"]
    assert [(ep.name, ep.value) for ep in points] == [("minecraft", "agentkit_minecraft.plugin")]
