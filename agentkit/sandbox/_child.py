"""The sandbox child: apply the OS layers, then run one RestrictedPython program.

Started by :mod:`agentkit.sandbox.runner` as ``python -I -S -B _child.py`` (a file path, so
``agentkit/__init__.py`` and its heavy imports never load here).  Protocol, newline-delimited
JSON: the parent sends one *init* line; the child answers ``{"ready": ...}`` (or
``{"refused": [...]}`` when a required layer is missing and the user did not opt out; then
it exits without running anything), then any number of
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

_HERE = os.path.dirname(os.path.abspath(__file__))


def _load(name: str, path: str) -> Any:
    """Load a sandbox helper by path: importing it as ``agentkit.sandbox.*`` would run
    ``agentkit/__init__.py`` (langgraph, numpy, ...) in every child."""
    spec = importlib.util.spec_from_file_location(f"_agentkit_sandbox{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses and friends look modules up by name
    spec.loader.exec_module(module)
    return module


def _load_seccomp(libraries: dict[str, str]) -> Any:
    """The seccomp helper with pyseccomp imported now (it finds libseccomp with ``ldconfig``,
    a subprocess that is impossible once confined); None if it cannot load."""
    import ctypes.util

    find = ctypes.util.find_library
    ctypes.util.find_library = lambda name: libraries.get(name) or find(name)
    try:
        import pyseccomp  # noqa: F401
    except (ImportError, OSError, RuntimeError):
        return None
    finally:
        ctypes.util.find_library = find
    return _load("_seccomp", os.path.join(_HERE, "_seccomp.py"))


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
    pol: Any, facades: Any, channel: _Channel, init: dict[str, Any], sink: Any
) -> tuple[bool, str, int | None, Any]:
    """Execute the program; returns (ok, error, line, value)."""
    code, errors = pol.compile_program(init["code"])
    if errors:
        return False, "; ".join(errors), pol.error_line(errors[0]), None
    prims = {n: _primitive(channel, n, pol.PrimitiveError) for n in init["primitives"]}
    glb = pol.make_globals(
        tuple(init["limits"]["allowed_modules"]), prims, sink, facades.facade, facades.AUDITED
    )
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


def _prepare(facades: Any, allowed: list[str]) -> None:
    """Import every allowed module now: confined, the stdlib may be out of reach (a root
    child drops to nobody, who cannot read /root)."""
    for module in allowed:
        try:
            if module in facades.AUDITED:
                facades.facade(module)
            else:
                __import__(module)
        except ImportError:
            pass


def main() -> None:
    channel = _Channel()
    init: dict[str, Any] = channel.receive()
    sys.path[:0] = init["sys_path"]
    pol = _load("_policy", init["policy_path"])
    facades = _load("_facades", os.path.join(_HERE, "_facades.py"))
    _prepare(facades, init["limits"]["allowed_modules"])
    seccomp = _load_seccomp(init.get("libraries", {}))
    landlock = _load("_landlock", os.path.join(_HERE, "_landlock.py"))
    confine = _load("_confine", os.path.join(_HERE, "_confine.py"))
    info = confine.confine(init["limits"], landlock, seccomp, init.get("read_paths", []),
                           skip=init.get("skip_layers", []))
    missing = confine.missing_required(info)
    info["opted_out"] = bool(missing) and not init.get("require", True)
    if missing and init.get("require", True):
        channel.send({"refused": missing, "isolation": info})
        return
    channel.send({"ready": True, "isolation": info})
    sink = pol.PrintSink(int(init["output_limit"]))
    ok, error, line, value = _run(pol, facades, channel, init, sink)
    try:
        json.dumps(value, default=str)
    except (TypeError, ValueError, RecursionError) as exc:
        ok, error, value = False, f"return value is not JSON-serialisable: {exc}", None
    channel.send(
        {"done": True, "ok": ok, "error": error, "line": line, "value": value,
         "output": sink.text(), "truncated": sink.truncated}
    )


if __name__ == "__main__":
    main()
