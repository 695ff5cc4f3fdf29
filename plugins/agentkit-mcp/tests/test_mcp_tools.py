"""MCP servers started for real (FastMCP over stdio and streamable HTTP) as agent tools."""

from __future__ import annotations

import json
import warnings
from types import SimpleNamespace
from typing import Any

import pytest
from agentkit_mcp import McpConfig, McpServerWarning, load_tools
from agentkit_mcp.plugin import register_tools
from langchain_core.tools import BaseTool

import agentkit.plugins
from agentkit import AgentRuntime, Controller
from agentkit.default_plugins.gymnasium_env import GymnasiumEnvironment
from agentkit.executor import run_tool
from agentkit.nodes.decide import make_decide
from agentkit.nodes.execute import make_execute
from agentkit.testing import ScriptedChatModel, capture_events
from agentkit.testing.contracts import ToolContract


def registered(write_config, servers: dict[str, Any], **options: Any) -> list[BaseTool]:
    """Write a config with ``servers`` and run the plugin's hook, as agentkit does."""
    write_config({"servers": servers, **options})
    tools: list[BaseTool] = []
    register_tools(register=tools.append)
    return tools


def run(tools: list[BaseTool], name: str, argument: str) -> tuple[bool, str]:
    """The executor's own tool call."""
    return run_tool(SimpleNamespace(tools=tools), name, argument)  # type: ignore[arg-type]


def test_stdio_server_tools_load_prefixed_and_run(write_config, stdio_server):
    tools = registered(write_config, {"math": stdio_server})
    assert sorted(t.name for t in tools) == ["math.add", "math.echo"]
    add = next(t for t in tools if t.name == "math.add")
    assert add.description.startswith('(input: JSON {"a": integer, "b": integer}) Add two')
    assert run(tools, "math.add", '{"a": 2, "b": 40}') == (True, "42")
    assert run(tools, "math.echo", "hello, MCP") == (True, "hello, MCP")


def test_streamable_http_server_tools_load_prefixed_and_run(write_config, http_server):
    tools = registered(write_config, {"web": http_server})
    assert sorted(t.name for t in tools) == ["web.add", "web.echo"]
    assert run(tools, "web.add", '{"a": -1, "b": 1}') == (True, "0")
    assert run(tools, "web.echo", '{"text": "over http"}') == (True, "over http")


def test_bad_arguments_fail_the_call_with_the_reason(write_config, http_server):
    tools = registered(write_config, {"web": http_server})
    ok, feedback = run(tools, "web.add", "two plus two")
    assert not ok and 'takes a JSON object {"a": integer, "b": integer}' in feedback
    ok, feedback = run(tools, "web.add", '{"a": "x", "b": 1}')  # refused by the server
    assert not ok and "valid integer" in feedback


def test_a_failing_server_is_skipped_with_a_warning(write_config, stdio_server):
    servers = {
        "good": stdio_server,
        "missing": {"transport": "stdio", "command": "/no/such/mcp-server"},
        "down": {"transport": "streamable_http", "url": "http://127.0.0.1:9/mcp"},
    }
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tools = registered(write_config, servers, timeout_s=20)
    assert sorted(t.name for t in tools) == ["good.add", "good.echo"]
    messages = sorted(str(w.message) for w in caught if w.category is McpServerWarning)
    assert len(messages) == 2
    assert messages[0].startswith("MCP server 'down' skipped: ConnectError")
    assert messages[1].startswith("MCP server 'missing' skipped: FileNotFoundError")


@pytest.mark.slow  # waits out the limit, then for the stdio client to stop the process
def test_a_hanging_server_costs_at_most_the_time_limit():
    hang = {"transport": "stdio", "command": "sleep", "args": ["30"]}
    config = McpConfig.model_validate({"servers": {"hang": hang}, "timeout_s": 1})
    with pytest.warns(McpServerWarning, match="'hang' skipped: no tool list within 1 s"):
        assert load_tools(config) == []


def test_the_agent_calls_an_mcp_tool_as_its_action(write_config, stdio_server):
    tools = registered(write_config, {"math": stdio_server})
    choice = json.dumps({"action": "math.add", "argument": '{"a": 19, "b": 23}', "reason": "t"})
    runtime = AgentRuntime(
        env=GymnasiumEnvironment("FrozenLake-v1", is_slippery=False),
        controller=Controller(ScriptedChatModel(replies=[choice])),
        tools=tools,
    )
    state: dict[str, Any] = {"task": "add", "seed": 0, "max_steps": 3, "step": 0, "percept": "x"}
    runtime.env.reset(seed=0)
    state["action"] = make_decide(runtime)(state)["action"]
    assert state["action"]["action"] == "math.add" and not state["action"]["fallback"]
    with capture_events() as events:
        make_execute(runtime)(state)
    records: list[dict[str, Any]] = [e["record"] for e in events if e["event"] == "step"]
    assert records[0]["action"] == "math.add" and records[0]["ok"] is True
    assert records[0]["feedback"] == "42" and records[0]["raw_actions"] == []


class TestMcpAddTool(ToolContract):
    """The contract for ``math.add`` from the stdio server, found through the entry point."""

    good_input = '{"a": 2, "b": 3}'
    bad_input = "two plus three"
    entry_point = "mcp"

    @pytest.fixture(autouse=True)
    def _config(self, write_config, stdio_server, monkeypatch):
        # The discovery check reloads the process-wide registry with this config; put the
        # previous one back afterwards so later tests never see these tools.
        monkeypatch.setattr(agentkit.plugins, "_REGISTRY", agentkit.plugins._REGISTRY)
        write_config({"servers": {"math": stdio_server}})
        self.config = McpConfig.model_validate({"servers": {"math": stdio_server}})

    def make_tool(self) -> BaseTool:
        return next(t for t in load_tools(self.config) if t.name == "math.add")
