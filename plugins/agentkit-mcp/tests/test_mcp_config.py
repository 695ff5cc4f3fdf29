"""The config file: where it is looked for, and errors that name the bad key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from agentkit_mcp import McpConfigError, config_path, load_config
from agentkit_mcp.plugin import register_tools


def test_the_default_file_is_in_the_agentkit_home(tmp_path, monkeypatch):
    monkeypatch.delenv("AGENTKIT_MCP_CONFIG", raising=False)
    monkeypatch.setenv("AGENTKIT_HOME", str(tmp_path))
    assert config_path() == tmp_path / "mcp.json"
    assert load_config() is None  # no file: MCP is simply off
    (tmp_path / "mcp.json").write_text('{"servers": {"m": {"transport": "stdio", "command": "x"}}}')
    config = load_config()
    assert config is not None
    assert config.connections() == {"m": {"transport": "stdio", "command": "x", "args": []}}


def test_no_config_registers_nothing_and_imports_nothing_heavy(tmp_path):
    script = (
        "import sys; from agentkit_mcp.plugin import register_tools; found = []; "
        "register_tools(register=found.append); "
        "print(found, sorted(m for m in sys.modules if m.split('.')[0] in "
        "('mcp', 'langchain_mcp_adapters')))"
    )
    env = {"AGENTKIT_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[] []"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            '{"servers": {"math": {"transport": "stdio", "comand": "python"}}}',
            "servers.math.comand",
        ),
        ('{"servers": {"math": {"transport": "stdio"}}}', "servers.math.command: Field required"),
        ('{"servers": {"math": {"transport": "sse", "url": "http://x"}}}', "servers.math"),
        ('{"servers": {"m": {"transport": "streamable_http", "url": "x"}}}', "servers.m.url"),
        ('{"servers": {"my math": {"transport": "stdio", "command": "x"}}}', "my math"),
        ('{"server": {}}', "server: Extra inputs are not permitted"),
        ('{"servers": {}, "timeout_s": 0}', "timeout_s"),
        ("{not json", "not readable JSON"),
    ],
)
def test_a_bad_config_is_a_clear_error(write_config, data, expected):
    path = write_config(data)
    with pytest.raises(McpConfigError, match="MCP config") as caught:
        register_tools(register=lambda tool: None)
    assert expected in str(caught.value) and str(path) in str(caught.value)


def test_a_config_named_by_the_variable_must_exist(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("AGENTKIT_MCP_CONFIG", str(tmp_path / "missing.json"))
    with pytest.raises(McpConfigError, match="does not exist"):
        load_config()
