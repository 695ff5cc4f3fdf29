"""Serving the viewer with uvicorn on the loopback interface only."""

from __future__ import annotations

import socket
from collections.abc import Callable, Sequence
from pathlib import Path

from agentkit.ui.actions import WriteAccess

__all__ = ["HOST", "free_port", "serve", "url"]

HOST = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on right now (for tests and ``--port 0``)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def url(port: int, write: WriteAccess) -> str:
    """The address to open; with writes allowed, the token rides in the fragment."""
    base = f"http://{HOST}:{port}/"
    return f"{base}#token={write.token}" if write.enabled else base


def serve(
    home: Path,
    *,
    port: int = 8765,
    results: Sequence[Path] = (),
    write: WriteAccess | None = None,
    embedder: str = "minilm",
    announce: Callable[[str], None] = print,
) -> None:
    """Serve ``home`` until interrupted (Ctrl-C)."""
    import uvicorn

    from agentkit.ui.app import create_app

    write = write or WriteAccess()
    port = port or free_port()
    app = create_app(home, results=results, write=write, embedder=embedder)
    config = uvicorn.Config(
        app, host=HOST, port=port, log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    announce(url(port, write))
    server.run()
