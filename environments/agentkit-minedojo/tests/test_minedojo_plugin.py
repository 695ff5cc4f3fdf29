"""The plugin registers a factory that builds the environment from CLI-style options."""

from __future__ import annotations

from importlib import metadata

import pytest

from agentkit_minedojo import MineDojoEnvironment
from agentkit_minedojo.plugin import make_minedojo, register_environments


def test_hook_registers_minedojo() -> None:
    seen = {}

    def register(name, factory, description=""):
        seen[name] = (factory, description)

    register_environments(register)
    factory, description = seen["minedojo"]
    assert "MineDojo" in description
    env = factory("harvest_1_log", image_size="64x96", seed="3", mine_steps="40", raw="false")
    assert isinstance(env, MineDojoEnvironment)
    assert (env.task, env.image_size, env.default_seed, env.mine_steps, env.expose_raw) == (
        "harvest_1_log",
        (64, 96),
        3,
        40,
        False,
    )
    assert env.simulator is None  # Minecraft is only started by reset
    assert factory("").task == "open-ended"


def test_factory_rejects_unknown_tasks() -> None:
    with pytest.raises(ValueError, match="unknown MineDojo task 'harvest_1_logs'.*harvest_1_log"):
        make_minedojo("harvest_1_logs")
    with pytest.raises(ValueError, match="give the task once"):
        make_minedojo("harvest_1_log", task="harvest_milk")


def test_entry_point_is_declared() -> None:
    dist = metadata.distribution("xmodal-agentkit-minedojo")
    points = [ep for ep in dist.entry_points if ep.group == "agentkit"]
    assert [(ep.name, ep.value) for ep in points] == [("minedojo", "agentkit_minedojo.plugin")]
    assert not any(req.split()[0] == "agentkit" for req in dist.requires or [])
