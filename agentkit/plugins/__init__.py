"""Finding, loading and isolating plugins.

Each entry point of the group ``agentkit`` is loaded on its own, and each registration hook
is called one implementation at a time: a plugin that fails to import, or whose hook
raises, is named in a warning and skipped while the rest keep working. (pluggy's own
``load_setuptools_entrypoints`` stops at the first broken entry point.)

``AGENTKIT_LOAD_PLUGINS`` selects plugins: unset loads all, ``a,b`` loads only those, and an
empty value loads none. The built-in default plugins always load: the core must work with
nothing else.
"""

from __future__ import annotations

import importlib
import os
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pluggy

from agentkit.plugins import hookspecs

__all__ = [
    "ENTRY_POINT_GROUP",
    "PluginFailure",
    "PluginInfo",
    "PluginWarning",
    "Registry",
    "get_registry",
    "load_plugins",
]

ENTRY_POINT_GROUP = "agentkit"
LOAD_ENV_VAR = "AGENTKIT_LOAD_PLUGINS"
DEFAULT_PLUGINS = (
    "agentkit.default_plugins.bench",
    "agentkit.default_plugins.gymnasium_env",
    "agentkit.default_plugins.hosted_embedders",
    "agentkit.default_plugins.ui",
)


class PluginWarning(UserWarning):
    """A plugin failed to load or one of its hooks raised; it was skipped."""


@dataclass
class PluginFailure:
    plugin: str
    stage: str
    error: str


@dataclass
class PluginInfo:
    name: str
    version: str
    hooks: list[str]
    builtin: bool


@dataclass
class Named:
    """A registered factory with its name and a one-line description."""

    name: str
    factory: Callable[..., Any]
    description: str = ""
    plugin: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Registry:
    """Everything the loaded plugins registered, plus what went wrong while loading."""

    manager: pluggy.PluginManager
    environments: dict[str, Named] = field(default_factory=dict)
    models: dict[str, Named] = field(default_factory=dict)
    embedders: dict[str, Named] = field(default_factory=dict)
    perceivers: list[Any] = field(default_factory=list)
    tools: list[Any] = field(default_factory=list)
    failures: list[PluginFailure] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)

    def plugins(self) -> list[PluginInfo]:
        """Name, version and implemented hooks of every loaded plugin."""
        infos = []
        for name, plugin in sorted(self.manager.list_name_plugin()):
            callers = self.manager.get_hookcallers(plugin) or []
            infos.append(
                PluginInfo(
                    name=name,
                    version=self.versions.get(name, "builtin"),
                    hooks=sorted(caller.name for caller in callers),
                    builtin=name in DEFAULT_PLUGINS,
                )
            )
        return infos

    def notify(self, hook: str, **kwargs: Any) -> None:
        """Call an observer hook on every plugin, isolating failures."""
        call_isolated(self, hook, lambda impl: impl.function(**kwargs))


def _selected_names() -> set[str] | None:
    raw = os.environ.get(LOAD_ENV_VAR)
    if raw is None:
        return None
    return {part.strip() for part in raw.split(",") if part.strip()}


def _warn(registry: Registry, plugin: str, stage: str, error: BaseException) -> None:
    message = f"{type(error).__name__}: {error}"
    registry.failures.append(PluginFailure(plugin, stage, message))
    warnings.warn(
        f"agentkit plugin {plugin!r} skipped ({stage}): {message}", PluginWarning, stacklevel=3
    )


def call_isolated(registry: Registry, hook: str, call: Callable[[Any], Any]) -> None:
    """Run ``call(impl)`` for each implementation of ``hook``; report and skip failures."""
    caller = getattr(registry.manager.hook, hook)
    for impl in caller.get_hookimpls():
        try:
            call(impl)
        except Exception as error:
            _warn(registry, impl.plugin_name, f"hook {hook}", error)


def _entry_points() -> Iterable[metadata.EntryPoint]:
    return metadata.entry_points(group=ENTRY_POINT_GROUP)


def load_plugins(*, entry_points: bool = True) -> Registry:
    """Load the built-in and installed plugins and collect what they register."""
    manager = pluggy.PluginManager("agentkit")
    manager.add_hookspecs(hookspecs)
    registry = Registry(manager=manager)
    for module_name in DEFAULT_PLUGINS:
        manager.register(importlib.import_module(module_name), name=module_name)
    if entry_points:
        selected = _selected_names()
        seen: set[str] = set()
        for ep in sorted(_entry_points(), key=lambda e: e.name):
            if ep.name in seen or (selected is not None and ep.name not in selected):
                continue
            seen.add(ep.name)
            try:
                plugin = ep.load()
                manager.register(plugin, name=ep.name)
            except Exception as error:
                _warn(registry, ep.name, "load", error)
                continue
            registry.versions[ep.name] = ep.dist.version if ep.dist else "unknown"
    _collect(registry)
    return registry


def _collect(registry: Registry) -> None:
    def named(table: dict[str, Named], plugin: str) -> Callable[..., None]:
        def register(
            name: str, factory: Callable[..., Any], description: str = "", **extra: Any
        ) -> None:
            table[name] = Named(name, factory, description, plugin, extra)

        return register

    def embedder(plugin: str) -> Callable[..., None]:
        def register(name: str, factory: Callable[..., Any], dimension: int) -> None:
            registry.embedders[name] = Named(name, factory, "", plugin, {"dimension": dimension})

        return register

    call_isolated(
        registry,
        "register_environments",
        lambda impl: impl.function(register=named(registry.environments, impl.plugin_name)),
    )
    call_isolated(
        registry,
        "register_models",
        lambda impl: impl.function(register=named(registry.models, impl.plugin_name)),
    )
    call_isolated(
        registry,
        "register_embedders",
        lambda impl: impl.function(register=embedder(impl.plugin_name)),
    )
    call_isolated(
        registry,
        "register_perceivers",
        lambda impl: impl.function(register=registry.perceivers.append),
    )
    call_isolated(
        registry, "register_tools", lambda impl: impl.function(register=registry.tools.append)
    )


_REGISTRY: Registry | None = None


def get_registry(*, reload: bool = False) -> Registry:
    """The process-wide registry, loaded on first use."""
    global _REGISTRY
    if _REGISTRY is None or reload:
        _REGISTRY = load_plugins()
    return _REGISTRY
