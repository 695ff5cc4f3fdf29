"""agentkit plugin entry point: registers the ``crossmodal`` environment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentkit.plugins.hookspecs import hookimpl

__all__ = ["make_crossmodal", "register_environments"]


def make_crossmodal(spec: str = "", **options: Any) -> Any:
    """Build a :class:`CrossmodalEnvironment`; ``spec`` must be empty (there are no variants)."""
    if spec:
        raise ValueError(f"crossmodal has no variants; got 'crossmodal:{spec}' (use options)")
    from agentkit_crossmodal.env import CrossmodalEnvironment

    return CrossmodalEnvironment(**options)


@hookimpl
def register_environments(register: Callable[..., None]) -> None:
    register(
        "crossmodal",
        make_crossmodal,
        description="a hall whose goal is only on a sign (image) and password only spoken",
    )
