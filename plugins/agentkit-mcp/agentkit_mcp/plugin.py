"""The agentkit entry point: registers the tools of the MCP servers in the config file.

Without a config file this does nothing and imports neither ``mcp`` nor the adapters, so
installing the plugin costs ``agentkit`` nothing until MCP servers are configured. A bad
config raises (agentkit reports the plugin as skipped with the message); a server that
fails is warned about and skipped by :func:`agentkit_mcp.tools.load_tools`.
"""

from __future__ import annotations

from collections.abc import Callable

from agentkit.plugins.hookspecs import hookimpl
from agentkit_mcp.config import load_config

__all__ = ["register_tools"]


@hookimpl
def register_tools(register: Callable[..., None]) -> None:
    config = load_config()
    if config is None or not config.servers:
        return
    from agentkit_mcp.tools import load_tools

    for tool in load_tools(config):
        register(tool)
