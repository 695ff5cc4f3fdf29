"""agentkit plugin entry point: registers the ``crafter`` environment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentkit.plugins.hookspecs import hookimpl

__all__ = ["make_crafter", "register_environments"]


def make_crafter(spec: str = "", **options: Any) -> Any:
    """Build a :class:`CrafterEnvironment`; ``spec`` must be empty (there are no variants)."""
    if spec:
        raise ValueError(f"crafter has no variants; got 'crafter:{spec}' (use options instead)")
    from agentkit_crafter.env import CrafterEnvironment  # imported late: crafter loads assets

    return CrafterEnvironment(**options)


@hookimpl
def register_environments(register: Callable[..., None]) -> None:
    register(
        "crafter",
        make_crafter,
        description="Crafter survival world (reproducible); local 9x7 text view + primitives",
    )
