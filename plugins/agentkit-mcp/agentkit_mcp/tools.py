"""MCP tools as synchronous, single-argument agentkit tools.

The adapters turn each MCP tool into an async-only ``StructuredTool`` with a JSON-schema
argument list and open a fresh session per call. agentkit's graph is synchronous and offers
every tool as an action with one free-text ``input``, so :class:`McpTool` maps that text to
the MCP arguments and drives the coroutine on a private event loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import warnings
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from langchain_core.tools import BaseTool
from pydantic import BaseModel

from agentkit.plugins import PluginWarning
from agentkit_mcp.config import McpConfig

__all__ = ["McpServerWarning", "McpTool", "arguments_from_input", "load_tools", "run_sync"]

T = TypeVar("T")

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


class McpServerWarning(PluginWarning):
    """An MCP server could not be started or listed; its tools are left out."""


def run_sync(make: Callable[[], Coroutine[Any, Any, T]], timeout_s: float) -> T:
    """Run the coroutine from ``make()`` to completion from synchronous code.

    Uses ``asyncio.run`` (a fresh loop per call, matching the adapters' session per call).
    When this thread already runs a loop (a notebook, an async host calling ``invoke``),
    ``asyncio.run`` would refuse, so the coroutine runs on a helper thread instead.
    """

    async def limited() -> T:
        return await asyncio.wait_for(make(), timeout_s)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(limited())
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="agentkit-mcp") as pool:
        return pool.submit(asyncio.run, limited()).result()


def _schema_hint(properties: dict[str, Any]) -> str:
    fields = ", ".join(
        f'"{name}": {spec.get("type", "any") if isinstance(spec, dict) else "any"}'
        for name, spec in properties.items()
    )
    return "{" + fields + "}"


def arguments_from_input(text: str, schema: dict[str, Any], tool: str) -> dict[str, Any]:
    """Map agentkit's one free-text argument to the MCP tool's arguments.

    - no parameters: the text is ignored;
    - exactly one string parameter: the text is that parameter (a JSON object naming just
      that parameter is accepted too, since models often answer in JSON);
    - anything else: the text must be a JSON object of the arguments; a tool with one
      non-string parameter also takes a bare JSON value (``5`` for ``{"n": 5}``).

    Raises ValueError with the expected shape, so the controller can correct itself.
    """
    properties: dict[str, Any] = schema.get("properties") or {}
    required = [str(name) for name in schema.get("required") or []]
    if not properties:
        return {}
    names = list(properties)
    only = properties[names[0]] if len(names) == 1 else None
    single_string = isinstance(only, dict) and only.get("type") == "string"
    stripped = text.strip()
    try:
        parsed: Any = json.loads(stripped) if stripped else None
    except json.JSONDecodeError:
        parsed = None
        if not single_string:
            raise ValueError(
                f"{tool} takes a JSON object {_schema_hint(properties)}; got {text[:80]!r}"
            ) from None
    if single_string:
        if isinstance(parsed, dict) and set(parsed) == {names[0]}:
            return parsed
        return {names[0]: text}
    if parsed is None and not stripped:
        parsed = {}
    if not isinstance(parsed, dict):
        if len(names) == 1:
            return {names[0]: parsed}
        raise ValueError(
            f"{tool} takes a JSON object {_schema_hint(properties)}; got {text[:80]!r}"
        )
    missing = [name for name in required if name not in parsed]
    unknown = [] if schema.get("additionalProperties") is True else sorted(set(parsed) - set(names))
    if missing or unknown:
        details = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(unknown)}" if unknown else "",
            )
            if part
        )
        raise ValueError(f"{tool} takes {_schema_hint(properties)}: {details}")
    return parsed


def _as_text(content: Any) -> str:
    """The adapters' content blocks as the text agentkit shows the controller."""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return str(content)
    parts = []
    for block in content:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
        elif isinstance(block, dict):
            where = block.get("url") or block.get("mime_type") or ""
            parts.append(f"[{block.get('type', 'content')} {where}]".replace(" ]", "]"))
        else:
            parts.append(str(block))
    return "\n".join(parts)


class McpTool(BaseTool):
    """One MCP tool, invoked with a single string as every agentkit tool is."""

    inner: BaseTool
    server: str
    timeout_s: float = 60.0

    def _schema(self) -> dict[str, Any]:
        schema = self.inner.args_schema
        if isinstance(schema, dict):
            return schema
        if isinstance(schema, type) and issubclass(schema, BaseModel):
            return schema.model_json_schema()  # adapters that convert the schema to a model
        return {}

    def _arguments(self, text: str) -> dict[str, Any]:
        return arguments_from_input(text, self._schema(), self.name)

    def _call(self, text: str) -> Coroutine[Any, Any, str]:
        arguments = self._arguments(text)  # before any I/O: a bad input never reaches MCP

        async def call() -> str:
            try:
                return _as_text(
                    await asyncio.wait_for(self.inner.ainvoke(arguments), self.timeout_s)
                )
            except TimeoutError:
                raise TimeoutError(
                    f"{self.name} gave no result within {self.timeout_s:g} s"
                ) from None
            except BaseExceptionGroup as group:
                raise _leaf(group) from group

        return call()

    def _run(self, input: str = "", **_: Any) -> str:
        call = self._call(input)
        return run_sync(lambda: call, self.timeout_s + 5)

    async def _arun(self, input: str = "", **_: Any) -> str:
        return await self._call(input)


def _describe(tool: BaseTool, schema: dict[str, Any]) -> str:
    """The description with the input format first: agentkit shows only 120 characters."""
    description = " ".join((tool.description or "").split()) or f"MCP tool {tool.name}"
    properties = schema.get("properties") or {}
    if not properties:
        return f"(no input) {description}"
    names = list(properties)
    only = properties[names[0]]
    if len(names) == 1 and isinstance(only, dict) and only.get("type") == "string":
        return f"(input: {names[0]}) {description}"
    return f"(input: JSON {_schema_hint(properties)}) {description}"


def _leaf(error: BaseException) -> BaseException:
    # anyio task groups wrap the real cause (a missing command, a refused connection).
    while isinstance(error, BaseExceptionGroup) and error.exceptions:
        error = error.exceptions[0]
    return error


def wrap(tool: BaseTool, server: str, timeout_s: float) -> McpTool:
    """``tool`` from ``server`` as a synchronous agentkit tool named ``<server>.<tool>``."""
    wrapper = McpTool(
        name=f"{server}.{_UNSAFE.sub('_', tool.name)}",
        description="",
        inner=tool,
        server=server,
        timeout_s=timeout_s,
    )
    wrapper.description = _describe(tool, wrapper._schema())
    return wrapper


def load_tools(config: McpConfig) -> list[McpTool]:
    """The tools of every configured server; a server that fails is warned about and skipped.

    Servers are listed concurrently, each in its own task with the config's time limit, so a
    hanging server costs at most ``timeout_s`` and never hides the others' tools.
    """
    if not config.servers:
        return []
    from langchain_mcp_adapters.client import MultiServerMCPClient

    # Execution errors raise (ToolException), so agentkit reports the call as failed.
    client = MultiServerMCPClient(config.connections(), handle_tool_errors=False)  # type: ignore[arg-type]
    names = list(config.servers)

    async def one(name: str) -> list[BaseTool]:
        return await asyncio.wait_for(client.get_tools(server_name=name), config.timeout_s)

    async def every() -> list[list[BaseTool] | BaseException]:
        return await asyncio.gather(*(one(name) for name in names), return_exceptions=True)

    results = run_sync(every, config.timeout_s + 5)
    tools: list[McpTool] = []
    for name, result in zip(names, results, strict=True):
        if isinstance(result, BaseException):
            error = _leaf(result)
            if isinstance(error, TimeoutError):
                reason = f"no tool list within {config.timeout_s:g} s"
            else:
                reason = f"{type(error).__name__}: {error}"
            warnings.warn(f"MCP server {name!r} skipped: {reason}", McpServerWarning, stacklevel=2)
            continue
        tools.extend(wrap(tool, name, config.timeout_s) for tool in result)
    return tools
