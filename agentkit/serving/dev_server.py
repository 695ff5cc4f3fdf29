"""Start ``langgraph dev`` on this package's graph: for tests, benchmarks and trying it out.

The repository's ``langgraph.json`` is copied with its paths made absolute, so the server's
working folder (where the in-memory runtime keeps its ``.langgraph_api`` files) can be any
folder, and the server gets the agentkit settings of :mod:`agentkit.serving.graph`.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from agentkit.testing.servers import free_port

__all__ = ["DevServer", "dev_server"]

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class DevServer:
    """A running ``langgraph dev``: its URL and log file."""

    url: str
    log: Path


def _config(folder: Path) -> Path:
    spec = json.loads((ROOT / "langgraph.json").read_text())
    spec["dependencies"] = [str((ROOT / d).resolve()) for d in spec["dependencies"]]
    graphs = {}
    for name, target in spec["graphs"].items():
        path, _, attribute = target.partition(":")
        graphs[name] = f"{(ROOT / path).resolve()}:{attribute}"
    spec["graphs"] = graphs
    config = folder / "langgraph.json"
    config.write_text(json.dumps(spec, indent=1))
    return config


@contextlib.contextmanager
def dev_server(
    folder: Path,
    *,
    env: str = "crafter",
    model: str = "local",
    mode: str = "select",
    jobs: int = 4,
    timeout: float = 120.0,
) -> Iterator[DevServer]:
    """``langgraph dev`` serving agentkit in ``folder``; stopped on exit.

    ``env``, ``model`` and ``mode`` become the server's ``AGENTKIT_SERVE_ENV``,
    ``AGENTKIT_SERVE_MODEL`` and ``AGENTKIT_SERVE_MODE``.

    Raises RuntimeError with the server's log if it exits or is not ready in ``timeout``.
    """
    if not (ROOT / "langgraph.json").is_file():
        raise RuntimeError(f"no langgraph.json in {ROOT}: run this from a source checkout")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "server.log"
    settings = {
        **os.environ,
        "AGENTKIT_HOME": str(folder / "home"),
        "AGENTKIT_SERVE_ENV": env,
        "AGENTKIT_SERVE_MODEL": model,
        "AGENTKIT_SERVE_MODE": mode,
        "LANGSMITH_TRACING": "false",
    }
    program = Path(sys.executable).with_name("langgraph")
    command = [
        str(program), "dev", "--config", str(_config(folder)),
        "--host", "127.0.0.1", "--port", str(port), "--no-browser", "--no-reload",
        "--n-jobs-per-worker", str(jobs),
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=folder, env=settings, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"langgraph dev exited {process.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/ok", timeout=2):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                tail = log.read_text()[-4000:]
                raise RuntimeError(f"langgraph dev not ready in {timeout:.0f} s:\n{tail}")
            time.sleep(0.5)
        yield DevServer(url=url, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
