"""The plugin registers a factory that builds the environment from CLI-style options."""

from __future__ import annotations

from importlib import metadata

import pytest

from agentkit_crafter import CrafterEnvironment
from agentkit_crafter.plugin import make_crafter, register_environments


def test_hook_registers_crafter() -> None:
    seen = {}

    def register(name, factory, description=""):
        seen[name] = (factory, description)

    register_environments(register)
    factory, description = seen["crafter"]
    assert description
    env = factory("", size="64", render="false", length="50", area="48x48")
    assert isinstance(env, CrafterEnvironment)
    assert (env.size, env.render, env.length, env.area) == (64, False, 50, (48, 48))
    env.reset(0)
    for _ in range(50):
        result = env.step("noop")
    assert result.done and "time is up" in result.events


def test_factory_rejects_variants() -> None:
    with pytest.raises(ValueError, match="no variants"):
        make_crafter("hard")


def test_entry_point_is_declared() -> None:
    dist = metadata.distribution("xmodal-agentkit-crafter")
    points = [ep for ep in dist.entry_points if ep.group == "agentkit"]
    assert [(ep.name, ep.value) for ep in points] == [("crafter", "agentkit_crafter.plugin")]
