"""The check every suite shares: the plugin is found through its entry point."""

from __future__ import annotations

import os
from typing import Any

from agentkit.plugins import ENTRY_POINT_GROUP, LOAD_ENV_VAR, get_registry

__all__ = ["registered_through"]


def registered_through(entry_point: str, hook: str) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Reload the plugins and return what ``entry_point``'s ``hook`` registers, as calls.

    Fails with a message naming the step that is missing: the entry point, a clean import,
    the hook implementation, or a ``register`` call.
    """
    registry = get_registry(reload=True)
    for failure in registry.failures:
        if failure.plugin == entry_point:
            raise AssertionError(
                f"plugin {entry_point!r} is installed but failed ({failure.stage}): {failure.error}"
            )
    infos = {info.name: info for info in registry.plugins()}
    if entry_point not in infos:
        selected = os.environ.get(LOAD_ENV_VAR)
        hint = (
            f" {LOAD_ENV_VAR}={selected!r} is set and may exclude it."
            if selected is not None
            else ""
        )
        raise AssertionError(
            f"no plugin named {entry_point!r} is installed: add `{entry_point} = "
            f'"your_package.plugin"` to [project.entry-points.{ENTRY_POINT_GROUP}] in '
            f"pyproject.toml and reinstall (pip install -e .).{hint} "
            f"Loaded: {sorted(infos)}"
        )
    hooks = infos[entry_point].hooks
    if hook not in hooks:
        raise AssertionError(
            f"plugin {entry_point!r} implements {hooks or 'no hooks'} but not {hook}: define "
            f"`{hook}(register)` in the entry point's module and decorate it with "
            "@agentkit.hookimpl"
        )
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for impl in getattr(registry.manager.hook, hook).get_hookimpls():
        if impl.plugin_name == entry_point:
            impl.function(register=lambda *args, **kwargs: calls.append((args, kwargs)))
    if not calls:
        raise AssertionError(f"{hook} of plugin {entry_point!r} never calls register(...)")
    return calls
