"""Real PostgreSQL and Chroma servers for tests, started on free loopback ports and stopped.

Tests of the server memory backend (and later a PostgreSQL checkpointer) need the real
servers, not stand-ins. These context managers start them in a temporary folder and stop
them on exit; a server that cannot start raises :class:`ServerUnavailable` with the reason
(its log's tail), so a test fails clearly instead of hanging or skipping.

PostgreSQL refuses to run as root (CI runs as root), so as root it runs as an unprivileged
uid (65534, ``nobody``) through ``setpriv``, in a folder that uid owns; as any other user it
runs directly.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ChromaServer",
    "PostgresServer",
    "ServerUnavailable",
    "chroma_server",
    "free_port",
    "postgres_bin",
    "postgres_server",
]

POSTGRES_VERSIONS = ("17", "16", "15")
UNPRIVILEGED = 65534


class ServerUnavailable(RuntimeError):
    """A test server could not be started; the message says why and how to fix it."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_bin() -> Path:
    """The folder of Debian's PostgreSQL server programs (initdb, postgres, pg_ctl)."""
    for version in POSTGRES_VERSIONS:
        folder = Path(f"/usr/lib/postgresql/{version}/bin")
        if (folder / "initdb").exists():
            return folder
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise ServerUnavailable(
        "PostgreSQL's server programs are not installed (no initdb under /usr/lib/postgresql "
        "or on PATH): apt-get install postgresql"
    )


def _tail(path: Path, lines: int = 20) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return "(no log)"


def _wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerUnavailable(f"the server exited with {proc.returncode}:\n{_tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise ServerUnavailable(f"the server did not listen on port {port} in {timeout:.0f} s")


def _stop(proc: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@dataclass
class PostgresServer:
    """A running PostgreSQL cluster: ``dsn`` reaches database ``agentkit`` as its owner."""

    folder: Path
    port: int
    user: str = "agentkit"
    database: str = "agentkit"
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def dsn(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def create_database(self, name: str) -> str:
        """A new empty database on this server; its DSN."""
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{name}"


def _as_unprivileged() -> list[str]:
    if os.geteuid() != 0:
        return []
    return [
        "setpriv",
        f"--reuid={UNPRIVILEGED}",
        f"--regid={UNPRIVILEGED}",
        "--clear-groups",
        "--",
    ]


def _reachable_tmp() -> str:
    """A temporary folder the unprivileged uid can reach: $TMPDIR when every folder above it
    lets others through (not a mode-700 home), else /tmp."""
    folder = Path(tempfile.gettempdir()).resolve()
    for part in (folder, *folder.parents):
        if not part.stat().st_mode & 0o001:
            return "/tmp"
    return str(folder)


@contextlib.contextmanager
def postgres_server(timeout: float = 60.0) -> Iterator[PostgresServer]:
    """A fresh PostgreSQL cluster on a free loopback port with database ``agentkit``
    (trust authentication on 127.0.0.1 only); stopped and deleted on exit."""
    binaries = postgres_bin()
    prefix = _as_unprivileged()
    root = Path(tempfile.mkdtemp(prefix="agentkit-pg-", dir=_reachable_tmp() if prefix else None))
    data, log = root / "data", root / "postgres.log"
    if prefix:
        os.chown(root, UNPRIVILEGED, UNPRIVILEGED)
    server = PostgresServer(root, free_port())
    try:
        init = subprocess.run(
            [
                *prefix,
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                server.user,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if init.returncode != 0:
            raise ServerUnavailable(f"initdb failed ({init.returncode}): {init.stderr[-2000:]}")
        with open(log, "wb") as out:
            if prefix:
                os.chown(log, UNPRIVILEGED, UNPRIVILEGED)
            server.proc = subprocess.Popen(
                [
                    *prefix,
                    str(binaries / "postgres"),
                    "-D",
                    str(data),
                    "-p",
                    str(server.port),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "unix_socket_directories=",
                    "-c",
                    "fsync=off",
                    "-c",
                    "max_connections=200",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_port(server.port, server.proc, timeout, log)
        _create_database(server, timeout, log)
        yield server
    finally:
        _stop(server.proc, signal.SIGINT)  # "fast" shutdown
        shutil.rmtree(root, ignore_errors=True)


def _create_database(server: PostgresServer, timeout: float, log: Path) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(
                f"postgresql://{server.user}@127.0.0.1:{server.port}/postgres",
                autocommit=True,
                connect_timeout=5,
            ) as conn:
                conn.execute(f'CREATE DATABASE "{server.database}"')
            return
        except psycopg.OperationalError as error:  # still starting up
            if time.monotonic() > deadline:
                raise ServerUnavailable(
                    f"PostgreSQL did not accept connections: {error}\n{_tail(log)}"
                ) from error
            time.sleep(0.2)


@dataclass
class ChromaServer:
    """A running ``chroma run``; :meth:`restart` stops it and starts it again (same data)."""

    path: Path
    port: int
    log: Path
    timeout: float = 60.0
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        chroma = Path(sys.executable).with_name("chroma")
        program = str(chroma) if chroma.exists() else shutil.which("chroma")
        if program is None:
            raise ServerUnavailable("the chroma program (from the chromadb package) is missing")
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [
                    program,
                    "run",
                    "--path",
                    str(self.path),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_port(self.port, self.proc, self.timeout, self.log)
        self._wait_heartbeat()

    def _wait_heartbeat(self) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError as error:
                if time.monotonic() > deadline:
                    raise ServerUnavailable(
                        f"chroma did not answer its heartbeat: {error}\n{_tail(self.log)}"
                    ) from error
            time.sleep(0.1)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        _stop(self.proc, sig)
        self.proc = None

    def restart(self, sig: int = signal.SIGTERM, down: float = 0.0) -> float:
        """Stop (``sig``), stay down ``down`` seconds, and start again on the same port and
        data; the seconds it was unreachable."""
        began = time.monotonic()
        self.stop(sig)
        time.sleep(down)
        self.start()
        return time.monotonic() - began


@contextlib.contextmanager
def chroma_server(path: Path | None = None, timeout: float = 60.0) -> Iterator[ChromaServer]:
    """``chroma run`` on a free loopback port with its data in ``path`` (default: a temporary
    folder, deleted on exit); stopped on exit."""
    root = Path(tempfile.mkdtemp(prefix="agentkit-chroma-"))
    server = ChromaServer(path or root / "data", free_port(), root / "chroma.log", timeout)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
