"""Tools of MCP servers (stdio, streamable HTTP) as agentkit tools, via langchain-mcp-adapters.

Importing this package stays light: :mod:`agentkit_mcp.tools` (which loads the adapters on
first use) is imported only when one of its names is asked for.
"""

from __future__ import annotations

from typing import Any

from agentkit_mcp.config import (
    CONFIG_ENV_VAR,
    McpConfig,
    McpConfigError,
    StdioServer,
    StreamableHttpServer,
    config_path,
    load_config,
)

__all__ = [
    "CONFIG_ENV_VAR",
    "McpConfig",
    "McpConfigError",
    "McpServerWarning",
    "McpTool",
    "StdioServer",
    "StreamableHttpServer",
    "config_path",
    "load_config",
    "load_tools",
]

_LAZY = {"McpServerWarning", "McpTool", "load_tools"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from agentkit_mcp import tools

        return getattr(tools, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
