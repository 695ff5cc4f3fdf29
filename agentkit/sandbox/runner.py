"""Parent side of the sandbox: start the child, serve primitive calls, enforce the deadline.

Primitives stay in this process (they usually drive a simulator that lives here); the program
in the child only sees stubs that ask us over a JSON-lines pipe.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import RestrictedPython

from agentkit.sandbox import policy

__all__ = [
    "DEPTH_LIMIT",
    "LINE_LIMIT",
    "OUTPUT_LIMIT",
    "UNCONFINED_ENV",
    "ProgramResult",
    "SandboxError",
    "SandboxLimits",
    "SandboxUnavailable",
    "check_program",
    "run_program",
]

OUTPUT_LIMIT = 4000
"""Characters of printed output kept per program."""

LINE_LIMIT = 4 * 2**20
"""Bytes the child may send in all (its protocol lines together); past it the child is
killed: an escaped program writing an endless line, or a program passing its primitives
large arguments over and over, cannot grow the parent's memory."""

DEPTH_LIMIT = 100
"""Nesting a value from the child may have: deeper ones would raise ``RecursionError`` in
the parent (``json.loads``, ``repr``) and so end the caller's step, not the program."""

UNCONFINED_ENV = "AGENTKIT_SANDBOX_UNCONFINED"
"""Set to 1 to run programs even where the OS layers cannot be applied (printed, recorded)."""

_CHILD = Path(__file__).with_name("_child.py")
_POLICY = Path(__file__).with_name("policy.py")
_RESTRICTED = Path(RestrictedPython.__file__).resolve().parent
_SYS_PATH = [str(_RESTRICTED.parent)]
_STARTUP_S = 10.0  # the child's own setup gets this long on top of the program's timeout
_SKIP_LAYERS: tuple[str, ...] = ()  # tests set this to see how a kernel without them behaves


@dataclass
class SandboxLimits:
    """Limits for one program; every one is enforced in the child or by the parent's clock."""

    timeout_s: float = 10.0
    cpu_s: int = 10
    memory_mb: int = 512
    max_processes: int = 0
    max_calls: int = 200
    allowed_modules: tuple[str, ...] = (
        "math", "random", "itertools", "functools", "collections", "re", "json", "statistics",
    )
    network: bool = False
    require_confinement: bool = True
    """Refuse to run without Landlock and seccomp; False (or ``AGENTKIT_SANDBOX_UNCONFINED=1``)
    runs anyway, and the result's ``isolation`` says so."""


@dataclass
class ProgramResult:
    """Outcome of one program; ``error`` is a single human/LLM-readable sentence."""

    ok: bool
    error: str = ""
    line: int | None = None
    calls: list[dict[str, Any]] = field(default_factory=list)
    output: str = ""
    value: Any = None
    seconds: float = 0.0
    isolation: dict[str, Any] = field(default_factory=dict)
    """What took effect in the child: ``layers`` applied, ``missing`` (layer -> why),
    ``opted_out`` (ran without a required layer because the user said so)."""


class SandboxError(RuntimeError):
    """The sandbox itself could not start (not a failure of the program)."""


class SandboxUnavailable(SandboxError):
    """A required OS layer cannot be applied here; the message says which and how to fix it."""


def check_program(code: str, limits: SandboxLimits | None = None) -> list[str]:
    """Static check without running: compile errors and disallowed imports, ``line N:`` first.

    Cheap enough to run on every LLM draft before spending a subprocess on it.
    """
    return policy.static_errors(code, (limits or SandboxLimits()).allowed_modules)


def run_program(
    code: str,
    primitives: Mapping[str, Callable[..., Any]],
    *,
    entry: str | None = None,
    workdir: Path,
    limits: SandboxLimits | None = None,
) -> ProgramResult:
    """Run ``code`` in a sandboxed child; call ``entry()`` after the body when given.

    Program failures (errors, timeouts, limits) come back as ``ok=False``; only a sandbox that
    cannot start raises :class:`SandboxError`.
    """
    limits = limits or SandboxLimits()
    for name in primitives:
        if not name.isidentifier() or name.startswith("_"):
            raise ValueError(f"primitive name {name!r} is not a public identifier")
    started = time.monotonic()
    errors = check_program(code, limits)
    if errors:
        return ProgramResult(
            ok=False, error="; ".join(errors), line=policy.error_line(errors[0]),
            seconds=time.monotonic() - started,
        )
    session = _Session(primitives, limits)
    result = session.run(code, entry, Path(workdir))
    result.seconds = time.monotonic() - started
    return result


class _Session:
    """One child process and the loop that serves it until done, dead or out of time."""

    def __init__(self, primitives: Mapping[str, Callable[..., Any]], limits: SandboxLimits):
        self.primitives = primitives
        self.limits = limits
        self.calls: list[dict[str, Any]] = []
        self.calls_refused = False
        self.isolation: dict[str, Any] = {}

    def run(self, code: str, entry: str | None, workdir: Path) -> ProgramResult:
        init = {
            "sys_path": _SYS_PATH, "policy_path": str(_POLICY), "code": code, "entry": entry,
            "primitives": sorted(self.primitives), "output_limit": OUTPUT_LIMIT,
            "limits": {**asdict(self.limits), "allowed_modules": list(self.limits.allowed_modules)},
            "require": confinement_required(self.limits),
            "read_paths": [str(_RESTRICTED)], "libraries": _libraries(),
            "skip_layers": list(_SKIP_LAYERS),
        }
        with tempfile.TemporaryFile() as stderr:
            try:
                proc = subprocess.Popen(
                    [sys.executable, "-I", "-S", "-B", "-X", "utf8", str(_CHILD)],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                    cwd=workdir, env={}, start_new_session=True,
                )
            except OSError as exc:
                raise SandboxError(f"cannot start the sandbox child: {exc}") from exc
            try:
                return self._serve(proc, init, stderr)
            finally:
                _kill_group(proc)

    def _serve(
        self, proc: subprocess.Popen[bytes], init: dict[str, Any], stderr: IO[bytes]
    ) -> ProgramResult:
        assert proc.stdin is not None and proc.stdout is not None
        lines = _LineReader(proc.stdout.fileno(), LINE_LIMIT)
        ready_by = time.monotonic() + _STARTUP_S
        deadline: float | None = None
        if not self._send(proc, init):
            raise SandboxError(f"sandbox child died at start: {_tail(stderr)}")
        while True:
            line = lines.next(deadline or ready_by)
            if line is None:  # deadline passed
                if deadline is None:
                    raise SandboxError(f"sandbox child did not start in {_STARTUP_S:.0f} s")
                return self._result(False, f"timed out after {self.limits.timeout_s} s")
            if line == b"":  # EOF: the child died
                if deadline is None:
                    raise SandboxError(f"sandbox child died at start: {_tail(stderr)}")
                return self._result(False, self._death(proc, stderr))
            if line is _LineReader.OVERFLOW:
                return self._result(False, f"output over {LINE_LIMIT} bytes; child killed")
            message = _decode(line)
            if isinstance(message, str):
                return self._result(False, f"sandbox protocol error: {message}")
            # The program runs between "ready" and "done", and may have taken over the
            # child: it gets no second "ready" (that would reset the deadline and rewrite
            # the isolation record) and no "refused" (the caller would see a sandbox error).
            if deadline is None and "refused" in message:
                raise SandboxUnavailable(_refusal_text(message["refused"]))
            if deadline is None and "ready" in message:
                self.isolation = message["isolation"]
                if self.isolation.get("opted_out"):
                    _warn_unconfined(self.isolation)
                deadline = time.monotonic() + self.limits.timeout_s
            elif deadline is not None and "call" in message:
                if not self._send(proc, self._call(message)):
                    return self._result(False, self._death(proc, stderr))
            elif deadline is not None and "done" in message:
                return self._done(message)
            else:
                return self._result(False, f"sandbox protocol error: {line[:200]!r}")

    def _call(self, message: dict[str, Any]) -> dict[str, Any]:
        name, args, kwargs = message["call"], message.get("args", []), message.get("kwargs", {})
        if len(self.calls) >= self.limits.max_calls:
            self.calls_refused = True
            return {"error": f"primitive call limit {self.limits.max_calls} exceeded"}
        record: dict[str, Any] = {
            "name": name, "args": args, "kwargs": kwargs, "result": None, "error": None
        }
        self.calls.append(record)
        try:
            value = self.primitives[name](*args, **kwargs)
            record["result"] = json.loads(json.dumps(value, default=str))
            return {"result": record["result"]}
        except Exception as exc:  # any primitive failure is the program's to handle
            record["error"] = f"{type(exc).__name__}: {exc}"
            return {"error": record["error"]}

    def _done(self, message: dict[str, Any]) -> ProgramResult:
        ok, error = message.get("ok") is True, str(message.get("error") or "")
        limit_error = f"primitive call limit {self.limits.max_calls} exceeded"
        if self.calls_refused and limit_error not in error:
            ok, error = False, f"{error}; {limit_error}" if error else limit_error
        output = str(message.get("output", ""))
        if message.get("truncated"):
            output += "\n[output truncated]"
        line = message.get("line")
        line = line if type(line) is int else None
        return self._result(ok, error, line, output, message.get("value"))

    def _result(
        self, ok: bool, error: str, line: int | None = None, output: str = "", value: Any = None
    ) -> ProgramResult:
        return ProgramResult(
            ok=ok, error=error, line=line, calls=self.calls, output=output, value=value,
            isolation=self.isolation,
        )

    def _death(self, proc: subprocess.Popen[bytes], stderr: IO[bytes]) -> str:
        """Name the limit that most likely killed the child."""
        try:
            code = proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "the sandbox child stopped answering"
        if code == -signal.SIGXCPU:
            return f"CPU time limit {self.limits.cpu_s} s exceeded"
        if code in (-signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT):
            name = signal.Signals(-code).name
            return f"killed by {name} (likely the memory limit {self.limits.memory_mb} MB exceeded)"
        if code == -signal.SIGXFSZ:
            return "file size limit exceeded"
        tail = _tail(stderr)
        if "MemoryError" in tail:
            return f"memory limit {self.limits.memory_mb} MB exceeded"
        return f"sandbox child exited with code {code}: {tail}"

    @staticmethod
    def _send(proc: subprocess.Popen[bytes], message: dict[str, Any]) -> bool:
        assert proc.stdin is not None
        try:
            proc.stdin.write(json.dumps(message, default=str).encode() + b"\n")
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return False
        return True


def _decode(line: bytes) -> dict[str, Any] | str:
    """One protocol message, or why it is not one (not JSON, not an object, too deep)."""
    try:
        message = json.loads(line)
    except RecursionError:
        return f"a value nests deeper than {DEPTH_LIMIT} levels"
    except ValueError:
        return f"not a JSON message: {line[:200]!r}"
    if not isinstance(message, dict):
        return f"not a JSON object: {line[:200]!r}"
    if not _shallow(message, DEPTH_LIMIT):
        return f"a value nests deeper than {DEPTH_LIMIT} levels"
    return message


def _shallow(value: Any, limit: int) -> bool:
    """Whether ``value`` (decoded JSON) nests at most ``limit`` levels; no recursion."""
    level: list[Any] = [value]
    for _ in range(limit + 1):
        inner: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                inner.extend(item.values())
            elif isinstance(item, list):
                inner.extend(item)
        if not inner:
            return True
        level = inner
    return False


class _LineReader:
    """Newline-delimited reads from a pipe that give up at a deadline (never block past it)
    and after ``limit`` bytes in all."""

    OVERFLOW = b"\n"
    """Returned for a line longer than the limit (a real line never is a bare newline)."""

    def __init__(self, fd: int, limit: int) -> None:
        self.fd = fd
        self.limit = limit
        self.buffer = b""
        self.received = 0
        self.selector = selectors.DefaultSelector()
        self.selector.register(fd, selectors.EVENT_READ)

    def next(self, deadline: float) -> bytes | None:
        """One line; ``b""`` at EOF; ``None`` once ``deadline`` (monotonic) has passed;
        :attr:`OVERFLOW` once more than ``limit`` bytes came in all."""
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not self.selector.select(left):
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return b""
            self.received += len(chunk)
            if self.received > self.limit:
                return self.OVERFLOW
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line


def confinement_required(limits: SandboxLimits) -> bool:
    """Whether programs must have every required OS layer: the limits say so and the
    environment does not opt out (``AGENTKIT_SANDBOX_UNCONFINED=1``)."""
    return limits.require_confinement and os.environ.get(UNCONFINED_ENV, "") not in ("1", "true")


def _refusal_text(missing: list[str]) -> str:
    return (
        "code mode refuses to run programs without the sandbox's OS layers: "
        + "; ".join(missing)
        + f". To run them anyway, unconfined (RestrictedPython and rlimits only), set "
        f"{UNCONFINED_ENV}=1; the run's summary records it."
    )


_warned: list[bool] = []


def _warn_unconfined(isolation: dict[str, Any]) -> None:
    """Say once per process, on stderr, that programs run without a required layer."""
    if _warned:
        return
    _warned.append(True)
    missing = ", ".join(sorted(isolation.get("missing", {}))) or "?"
    print(f"warning: {UNCONFINED_ENV}=1: sandboxed programs run without {missing}",
          file=sys.stderr)


@functools.cache
def _libraries() -> dict[str, str]:
    """Shared-library names the child would otherwise look up by running ``ldconfig``."""
    import ctypes.util

    found = {name: ctypes.util.find_library(name) for name in ("c", "seccomp")}
    return {name: path for name, path in found.items() if path}


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the child's whole process group (it leads its own session), reap it, and wait
    (2 s at most) until no process of the group is left: forks (``max_processes > 0``) are
    not ours to reap, and a killed one lingers a moment."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)
    gone_by = time.monotonic() + 2.0
    while _group_alive(proc.pid) and time.monotonic() < gone_by:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        time.sleep(0.01)


def _group_alive(pgid: int) -> bool:
    """Whether a process of group ``pgid`` is still running (zombies waiting for init to
    reap them do not count)."""
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if fields[0] != "Z" and fields[2] == str(pgid):
                return True
    return False


def _tail(stream: IO[bytes], size: int = 800) -> str:
    stream.seek(0, os.SEEK_END)
    stream.seek(max(0, stream.tell() - size))
    return stream.read().decode(errors="replace").strip()
