"""Node child processes that cannot outlive the Python process that started them.

The bridge and the test server are Node programs (see ``js/PROTOCOL.md``). Each is started
with stdin piped and told our pid; it exits on stdin EOF or when that pid is gone, and on
Linux the kernel also sends it SIGTERM when its parent dies (``PR_SET_PDEATHSIG``). So a
Python run killed with SIGKILL leaves no server or bot behind holding a port.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

__all__ = [
    "JS_DIR",
    "NodeMissing",
    "NodeProcess",
    "NodeProcessError",
    "NodeStartTimeout",
    "check_js_installed",
    "node_executable",
    "start_node",
]

JS_DIR = Path(__file__).resolve().parent / "js"
_SETUP_HINT = "run `agentkit minecraft setup` (it runs `npm ci` in {js})"
_PR_SET_PDEATHSIG = 1
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")  # flying-squid draws a readline prompt


class NodeProcessError(RuntimeError):
    """A Node program could not be started, or stopped working."""


class NodeMissing(NodeProcessError):
    """``node`` or the JavaScript dependencies are not installed."""


class NodeStartTimeout(NodeProcessError):
    """The program did not print its ready line in time."""


def node_executable() -> str:
    """The ``node`` on PATH; a clear error when there is none."""
    found = shutil.which("node")
    if found is None:
        raise NodeMissing(
            "`node` is not on PATH: the Minecraft environment runs its bridge and test server "
            "in Node.js 20 or newer; install it (e.g. `apt-get install nodejs npm`), then "
            + _SETUP_HINT.format(js=JS_DIR)
        )
    return found


def check_js_installed(js_dir: Path = JS_DIR) -> None:
    """Raise :class:`NodeMissing` when ``npm ci`` has not been run in ``js_dir``."""
    if not (js_dir / "node_modules").is_dir():
        raise NodeMissing(
            f"the JavaScript dependencies are not installed ({js_dir / 'node_modules'} is "
            "missing): " + _SETUP_HINT.format(js=js_dir)
        )


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """In the child: new process group, and SIGTERM when the parent thread dies (Linux)."""
    os.setpgid(0, 0)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


# PR_SET_PDEATHSIG fires when the *thread* that forked the child exits, not the process.
# Agent loops may step the environment from short-lived worker threads, so children are
# always forked from one long-lived thread of our own (or the main thread).
_spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agentkit-minecraft-spawn")


def _spawn(argv: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    def popen() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            argv,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=_die_with_parent if os.name == "posix" else None,
        )

    if threading.current_thread() is threading.main_thread():
        return popen()
    return _spawner.submit(popen).result()


_live: weakref.WeakSet[NodeProcess] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for process in list(_live):
        with contextlib.suppress(Exception):
            process.stop(timeout_s=2.0)


class NodeProcess:
    """A started Node program: its ready line, output tails and a clean stop."""

    def __init__(
        self,
        name: str,
        popen: subprocess.Popen[bytes],
        on_event: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.name = name
        self.popen = popen
        self.ready: dict[str, Any] = {}
        self.stderr_lines: deque[str] = deque(maxlen=200)
        self.events: deque[dict[str, Any]] = deque(maxlen=200)
        self._on_event = on_event
        self._ready: queue.Queue[dict[str, Any]] = queue.Queue()
        self._threads = [
            threading.Thread(target=self._read_stdout, name=f"{name}-stdout", daemon=True),
            threading.Thread(target=self._read_stderr, name=f"{name}-stderr", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        _live.add(self)

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def alive(self) -> bool:
        return self.popen.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def stderr_tail(self, lines: int = 15) -> str:
        """The last lines the program logged: what to show when it fails."""
        return "\n".join(list(self.stderr_lines)[-lines:])

    def describe_exit(self) -> str:
        """'bridge exited with code 1; its last log lines: ...' for error messages."""
        code = self.returncode
        how = "is still running" if code is None else _exit_text(code)
        tail = self.stderr_tail()
        return f"{self.name} {how}" + (f"; its last log lines:\n{tail}" if tail else "")

    def _read_stdout(self) -> None:
        assert self.popen.stdout is not None
        for raw in self.popen.stdout:
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                self.stderr_lines.append(line)  # a stray print: keep it with the logs
                continue
            if not isinstance(message, dict):
                continue
            if not self.ready and message.get("event") == "ready":
                self.ready = message
                self._ready.put(message)
                continue
            self.events.append(message)
            if self._on_event is not None:
                with contextlib.suppress(Exception):
                    self._on_event(message)

    def _read_stderr(self) -> None:
        assert self.popen.stderr is not None
        for raw in self.popen.stderr:
            line = _ANSI.sub("", raw.decode("utf-8", "replace")).rstrip()
            if line.strip(" >"):
                self.stderr_lines.append(line)

    def wait_ready(self, timeout_s: float) -> dict[str, Any]:
        """Block until the ready line; stop the program and raise if it never comes."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                return self._ready.get(timeout=0.05)
            except queue.Empty:
                pass
            if not self.alive:
                for thread in self._threads:  # let the readers collect the last words
                    thread.join(timeout=1.0)
                if not self._ready.empty():
                    return self._ready.get()
                raise NodeProcessError(
                    f"{self.describe_exit()}\n(it stopped before reporting that it was ready)"
                )
            if time.monotonic() >= deadline:
                self.stop(timeout_s=2.0)
                tail = self.stderr_tail()
                raise NodeStartTimeout(
                    f"{self.name} printed no ready line within {timeout_s:g} s"
                    + (f"; its last log lines:\n{tail}" if tail else " and logged nothing")
                )

    def stop(self, timeout_s: float = 5.0) -> int | None:
        """Close stdin (the polite signal), then SIGTERM, then SIGKILL the process group."""
        _live.discard(self)
        if self.popen.stdin is not None:
            with contextlib.suppress(OSError):
                self.popen.stdin.close()
        for sig in (None, signal.SIGTERM, signal.SIGKILL):
            if sig is not None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(timeout=timeout_s if sig is None else 2.0)
                break
            except subprocess.TimeoutExpired:
                continue
        # The process group may hold grandchildren even after the leader exited.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        for stream in (self.popen.stdout, self.popen.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        return self.popen.returncode


def _exit_text(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"was killed by {signal.Signals(-code).name}"
        return f"was killed by signal {-code}"
    return f"exited with code {code}"


def start_node(
    script: str | Path,
    args: Sequence[object] = (),
    *,
    name: str | None = None,
    js_dir: Path = JS_DIR,
    ready_timeout_s: float = 60.0,
    on_event: Callable[[dict[str, Any]], None] | None = None,
) -> NodeProcess:
    """Start ``node script args --parent-pid <ours>`` in ``js_dir``; return once it is ready.

    ``script`` is relative to ``js_dir``. Raises :class:`NodeMissing` without node or
    ``node_modules``, :class:`NodeStartTimeout` when no ready line comes, and
    :class:`NodeProcessError` when the program exits first; both carry its stderr tail.
    """
    node = node_executable()
    check_js_installed(js_dir)
    path = js_dir / script
    if not path.is_file():
        raise NodeMissing(f"{path} does not exist: this installation of agentkit-minecraft is "
                          "incomplete (reinstall it)")
    argv = [node, str(path), *map(str, args), "--parent-pid", str(os.getpid())]
    process = NodeProcess(name or Path(script).stem, _spawn(argv, js_dir), on_event)
    try:
        process.wait_ready(ready_timeout_s)
    except BaseException:
        process.stop(timeout_s=2.0)
        raise
    return process
