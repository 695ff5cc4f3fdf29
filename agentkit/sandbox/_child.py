"""The sandbox child: set up OS isolation, then run one RestrictedPython program.

Started by :mod:`agentkit.sandbox.runner` as ``python -I -S -B _child.py`` (a file path, so
``agentkit/__init__.py`` and its heavy imports never load here).  Protocol, newline-delimited
JSON: the parent sends one *init* line; the child answers ``{"ready": ...}``, then any number of
``{"call": name, "args": [...], "kwargs": {...}}`` (each answered by ``{"result": ...}`` or
``{"error": "..."}``), and finally ``{"done": true, ...}``.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import sys
import traceback
from collections.abc import Callable
from typing import IO, Any

__all__ = ["main"]

_CLONE_NEWNET = 0x40000000
_NOBODY = 65534
_FSIZE_BYTES = 10 * 2**20
_NOFILE = 32


def _load_policy(path: str) -> Any:
    """Load ``policy.py`` by path: importing it as ``agentkit.sandbox.policy`` would run
    ``agentkit/__init__.py``."""
    spec = importlib.util.spec_from_file_location("_agentkit_sandbox_policy", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _unshare_network() -> bool:
    """Move into an empty network namespace (only a downed loopback); False if not permitted."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.unshare(_CLONE_NEWNET)) == 0
    except (OSError, AttributeError):
        return False


def _count_processes(uid: int) -> int:
    """Processes owned by ``uid`` now: RLIMIT_NPROC counts all of them, not just ours."""
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                count += os.stat(f"/proc/{entry}").st_uid == uid
            except OSError:
                pass
    return count


def _isolate(limits: dict[str, Any]) -> dict[str, Any]:
    """Apply namespaces, privilege drop and rlimits; report what actually took effect."""
    import resource

    info: dict[str, Any] = {"net_namespace": False, "dropped_privileges": False}
    if not limits["network"]:
        info["net_namespace"] = _unshare_network()
    if os.geteuid() == 0:
        # Root ignores RLIMIT_NPROC and file permissions; "nobody" does not.
        try:
            running = _count_processes(_NOBODY)
            os.setgroups([])
            os.setgid(_NOBODY)
            os.setuid(_NOBODY)
            info["dropped_privileges"] = True
        except OSError:
            running = _count_processes(os.getuid())
    else:
        running = _count_processes(os.getuid())
    # After a drop, ``running`` was counted without this process; otherwise it includes it.
    nproc = running + int(info["dropped_privileges"]) + int(limits["max_processes"])
    memory = int(limits["memory_mb"]) * 2**20
    cpu = int(limits["cpu_s"])
    for name, value in (
        ("RLIMIT_AS", (memory, memory)),
        ("RLIMIT_CPU", (cpu, cpu + 1)),
        ("RLIMIT_FSIZE", (_FSIZE_BYTES, _FSIZE_BYTES)),
        ("RLIMIT_NOFILE", (_NOFILE, _NOFILE)),
        ("RLIMIT_NPROC", (nproc, nproc)),
        ("RLIMIT_CORE", (0, 0)),
    ):
        resource.setrlimit(getattr(resource, name), value)
    return info


class _Channel:
    """The JSON-lines pipe pair to the parent, on private fds so stray fd 1 writes can't
    corrupt it."""

    def __init__(self) -> None:
        self._out: IO[bytes] = os.fdopen(os.dup(1), "wb")
        self._in: IO[bytes] = os.fdopen(os.dup(0), "rb")
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        os.dup2(2, 1)
        os.close(devnull)

    def send(self, message: dict[str, Any]) -> None:
        self._out.write(json.dumps(message, default=str).encode() + b"\n")
        self._out.flush()

    def receive(self) -> dict[str, Any]:
        line = self._in.readline()
        if not line:
            os._exit(3)  # the parent is gone: nothing left to report to
        reply: dict[str, Any] = json.loads(line)
        return reply


def _program_line(tb: Any, filename: str) -> int | None:
    lines = [f.lineno for f in traceback.extract_tb(tb) if f.filename == filename]
    return lines[-1] if lines else None


def _primitive(
    channel: _Channel, name: str, error_type: type[Exception]
) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        channel.send({"call": name, "args": list(args), "kwargs": kwargs})
        reply = channel.receive()
        if "error" in reply:
            raise error_type(reply["error"])
        return reply.get("result")

    call.__name__ = call.__qualname__ = name
    return call


def _run(
    pol: Any, channel: _Channel, init: dict[str, Any], sink: Any
) -> tuple[bool, str, int | None, Any]:
    """Execute the program; returns (ok, error, line, value)."""
    code, errors = pol.compile_program(init["code"])
    if errors:
        return False, "; ".join(errors), pol.error_line(errors[0]), None
    prims = {n: _primitive(channel, n, pol.PrimitiveError) for n in init["primitives"]}
    glb = pol.make_globals(tuple(init["limits"]["allowed_modules"]), prims, sink)
    reserve: bytearray | None = bytearray(2**20)  # freed on MemoryError to afford the report
    try:
        exec(code, glb)
        entry = init.get("entry")
        if entry is None:
            return True, "", None, None
        func = glb.get(entry)
        if not callable(func):
            return False, f"entry function {entry!r} is not defined by the program", None, None
        return True, "", None, func()
    except MemoryError as exc:
        reserve = None
        line = _program_line(exc.__traceback__, pol.PROGRAM_FILENAME)
        glb.clear()
        del exc
        gc.collect()
        prefix = f"line {line}: " if line else ""
        return False, f"{prefix}memory limit {init['limits']['memory_mb']} MB exceeded", line, None
    except BaseException as exc:  # the program's own failure, whatever it raised
        line = _program_line(exc.__traceback__, pol.PROGRAM_FILENAME)
        prefix = f"line {line}: " if line else ""
        return False, f"{prefix}{type(exc).__name__}: {exc}", line, None
    finally:
        del reserve


def main() -> None:
    channel = _Channel()
    init: dict[str, Any] = channel.receive()
    sys.path[:0] = init["sys_path"]
    pol = _load_policy(init["policy_path"])
    for module in init["limits"]["allowed_modules"]:
        try:  # import now: after the privilege drop the stdlib may be unreadable
            __import__(module)
        except ImportError:
            pass
    info = _isolate(init["limits"])
    channel.send({"ready": True, "isolation": info})
    sink = pol.PrintSink(int(init["output_limit"]))
    ok, error, line, value = _run(pol, channel, init, sink)
    try:
        json.dumps(value, default=str)
    except (TypeError, ValueError) as exc:
        ok, error, value = False, f"return value is not JSON-serialisable: {exc}", None
    channel.send(
        {"done": True, "ok": ok, "error": error, "line": line, "value": value,
         "output": sink.text(), "truncated": sink.truncated}
    )


if __name__ == "__main__":
    main()
