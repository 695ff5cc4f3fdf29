"""The bundled test server: flying-squid with our fixes, a fresh in-memory world per seed.

It exists so that the environment, its tests and a curious user can run without a
Minecraft account, Java or internet. What it lacks compared with a vanilla server (mob AI,
hunger, fluids, tool tiers) is listed in the README.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from agentkit_minecraft.processes import NodeProcess, NodeProcessError, start_node

__all__ = ["DEFAULT_VERSION", "TestServer"]

DEFAULT_VERSION = "1.20.4"


class TestServer:
    """``node server/server.js`` on 127.0.0.1; use as a context manager or start()/stop().

    ``port=0`` lets the server pick a free port, read back from its ready line.
    """

    __test__ = False  # not a pytest test class, despite the name

    def __init__(
        self,
        port: int = 0,
        seed: int = 0,
        version: str = DEFAULT_VERSION,
        *,
        ready_timeout_s: float = 60.0,
    ) -> None:
        self.requested_port = int(port)
        self.seed = int(seed)
        self.version = version
        self.ready_timeout_s = ready_timeout_s
        self.host = "127.0.0.1"
        self.process: NodeProcess | None = None

    @property
    def port(self) -> int:
        if self.process is None:
            raise NodeProcessError("the test server is not running")
        return int(self.process.ready.get("port", self.requested_port))

    @property
    def address(self) -> str:
        """``HOST:PORT``, as the environment's ``server`` option takes it."""
        return f"{self.host}:{self.port}"

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.alive

    def start(self) -> TestServer:
        """Start the server (a no-op when it already runs) and wait until it listens."""
        if self.alive:
            return self
        self.process = start_node(
            "server/server.js",
            ["--port", self.requested_port, "--seed", self.seed, "--version", self.version],
            name="test server",
            ready_timeout_s=self.ready_timeout_s,
        )
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None

    def describe_exit(self) -> str:
        return self.process.describe_exit() if self.process else "the test server is not running"

    def __enter__(self) -> TestServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.address if self.alive else "stopped"
        return f"TestServer(seed={self.seed}, version={self.version!r}, {where})"

    def info(self) -> dict[str, Any]:
        return {"seed": self.seed, "version": self.version, "address": self.address}
