"""Fixtures: the test MCP server over stdio and over streamable HTTP, and config files."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

SERVER_SCRIPT = Path(__file__).resolve().parent / "fastmcp_server.py"


@pytest.fixture
def stdio_server() -> dict[str, Any]:
    """A connection that makes the client spawn the test server itself."""
    return {"transport": "stdio", "command": sys.executable, "args": [str(SERVER_SCRIPT), "stdio"]}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def http_server() -> Iterator[dict[str, Any]]:
    """The test server on 127.0.0.1 over streamable HTTP; killed however the tests end."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, str(SERVER_SCRIPT), "http", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"the test MCP server exited with {process.returncode}: {error}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("the test MCP server did not listen within 30 s")
                time.sleep(0.1)
        yield {"transport": "streamable_http", "url": f"http://127.0.0.1:{port}/mcp"}
    finally:
        process.kill()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


@pytest.fixture
def write_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[Any], Path]:
    """Write ``data`` (JSON-able, or text as is) as the MCP config the plugin reads."""

    def write(data: Any) -> Path:
        path = tmp_path / "mcp.json"
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        monkeypatch.setenv("AGENTKIT_MCP_CONFIG", str(path))
        return path

    return write
