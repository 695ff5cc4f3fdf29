"""The MCP config file: which servers to start or reach, in the adapters' connection shape.

agentkit has no general config file, so the plugin reads its own: ``$AGENTKIT_MCP_CONFIG``
when set, else ``<agentkit home>/mcp.json``. Each server entry has the shape of a
``langchain_mcp_adapters`` connection, so an entry can be copied from (or to) code that uses
``MultiServerMCPClient`` directly. Validation is strict (unknown keys are errors) because a
misspelt key would otherwise be silently ignored and the server started without it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agentkit.runs.folder import default_home

__all__ = [
    "CONFIG_ENV_VAR",
    "McpConfig",
    "McpConfigError",
    "StdioServer",
    "StreamableHttpServer",
    "config_path",
    "load_config",
]

CONFIG_ENV_VAR = "AGENTKIT_MCP_CONFIG"

# Server names become tool-name prefixes ("<server>.<tool>"), so no dots or spaces.
_SERVER_NAME = r"^[A-Za-z_][A-Za-z0-9_-]*$"


class McpConfigError(ValueError):
    """The config file exists but cannot be used; the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StdioServer(_Strict):
    """A server the client spawns and talks to over its stdin and stdout."""

    transport: Literal["stdio"]
    command: str = Field(min_length=1)
    args: list[str] = Field(default_factory=list)
    env: dict[str, str] | None = None
    cwd: str | None = None


class StreamableHttpServer(_Strict):
    """A server already running, reached over streamable HTTP at ``url``."""

    transport: Literal["streamable_http"]
    url: str = Field(pattern=r"^https?://")
    headers: dict[str, str] | None = None
    timeout: float | None = Field(default=None, gt=0, description="HTTP timeout, seconds")


Server = Annotated[StdioServer | StreamableHttpServer, Field(discriminator="transport")]


class McpConfig(_Strict):
    """The whole file: named servers and the time limit of each load and each call."""

    servers: dict[Annotated[str, Field(pattern=_SERVER_NAME)], Server] = Field(default_factory=dict)
    timeout_s: float = Field(
        default=60.0, gt=0, description="limit for listing a server's tools and for each call"
    )

    def connections(self) -> dict[str, dict[str, Any]]:
        """The servers as ``MultiServerMCPClient`` connections (unset keys left out)."""
        return {name: server.model_dump(exclude_none=True) for name, server in self.servers.items()}


def config_path() -> Path:
    """``$AGENTKIT_MCP_CONFIG``, else ``mcp.json`` in the agentkit home."""
    explicit = os.environ.get(CONFIG_ENV_VAR)
    return Path(explicit) if explicit else default_home() / "mcp.json"


def _location(loc: tuple[int | str, ...]) -> str:
    # pydantic puts the union tag in the path ("servers.math.stdio.command"); drop it.
    parts = [str(p) for p in loc if p not in ("stdio", "streamable_http")]
    return ".".join(parts) or "(top level)"


def load_config(path: Path | None = None) -> McpConfig | None:
    """The parsed config, or None when there is no file (MCP then stays off, silently).

    A file named by ``$AGENTKIT_MCP_CONFIG`` must exist: pointing at a missing file is a
    mistake worth an error, while a missing default file just means "no MCP servers".
    """
    explicit = path is not None or bool(os.environ.get(CONFIG_ENV_VAR))
    path = path if path is not None else config_path()
    if not path.is_file():
        if explicit:
            raise McpConfigError(f"MCP config {path} does not exist")
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise McpConfigError(f"MCP config {path} is not readable JSON: {error}") from error
    try:
        return McpConfig.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{_location(e['loc'])}: {e['msg']}" for e in error.errors(include_url=False)[:5]
        )
        raise McpConfigError(f"MCP config {path} is invalid: {problems}") from error
