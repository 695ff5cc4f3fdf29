"""Turning an environment name such as ``crafter`` or ``gymnasium:CartPole-v1`` into an adapter."""

from __future__ import annotations

from typing import Any

from agentkit.environment import Environment
from agentkit.plugins import Registry, get_registry

__all__ = ["EnvironmentNotFound", "make_environment"]


class EnvironmentNotFound(LookupError):
    """No plugin registered an environment of that name."""


def make_environment(spec: str, registry: Registry | None = None, **options: Any) -> Environment:
    """Create the environment ``name[:argument]`` from the registered factories."""
    registry = registry or get_registry()
    name, _, argument = spec.partition(":")
    if name not in registry.environments:
        known = ", ".join(sorted(registry.environments)) or "none"
        raise EnvironmentNotFound(
            f"unknown environment {name!r}; installed: {known}. "
            "Environments come from plugins: see `agentkit plugins`."
        )
    return registry.environments[name].factory(argument, **options)
