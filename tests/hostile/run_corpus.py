"""Run the hostile Python corpus through the sandbox and judge each program.

Each ``python/*.py`` starts with a header::

    # attempts: what the program tries
    # expect: a regular expression the result's error must match (the stop reason)
    # limit_s: seconds within which the sandbox must have stopped it
    # modules: os ctypes      (optional: allowed on purpose, as if RestrictedPython were
    #                          already beaten, so the OS layers alone must hold)
    # limits: timeout_s=1 memory_mb=128   (optional SandboxLimits fields, and entry=NAME
    #                                     to call NAME() after the body)

and may use ``{CANARY}`` (a readable file outside the program's folder holding a secret),
``{OUTSIDE}`` (a folder writes must not reach), ``{PORT}`` (a listening localhost port),
``{SECRET_ENV}`` (an environment variable of the parent holding the secret) and
``{SHM_KEY}`` / ``{SHM_ID}`` (a System V shared-memory segment of the parent, mode 0600,
holding the secret).  A program *escapes* if the secret shows up anywhere in its result, a
file appears in ``{OUTSIDE}``, the canary's content, mode, owner or times change, the port
sees a connection, the parent's peak memory grows by more than ``PARENT_MB``,
``run_program`` raises (the caller's step would fail, not the program), it ends ``ok``,
its error does not match ``expect``, or it runs past ``limit_s``.

Run as a script (``python tests/hostile/run_corpus.py --json out.json``) so that the test can
run it as another user; prints one line per program and exits 1 on any escape.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import re
import resource
import secrets
import socket
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

__all__ = ["CORPUS", "Case", "load", "run_all"]

CORPUS = Path(__file__).resolve().parent / "python"
SECRET_ENV = "AGENTKIT_HOSTILE_SECRET"
PARENT_MB = 200
"""How much a program may grow the parent's peak memory (what it sends is held there)."""
_HEADER = re.compile(r"^#\s*(\w+):\s*(.*)$")


@dataclass
class Case:
    """One corpus program and what stopping it looks like."""

    name: str
    code: str
    attempts: str
    expect: str
    limit_s: float
    modules: tuple[str, ...] = ()
    limits: dict[str, Any] = field(default_factory=dict)


def load(folder: Path = CORPUS) -> list[Case]:
    cases = []
    for path in sorted(folder.glob("*.py")):
        text = path.read_text()
        head: dict[str, str] = {}
        for line in text.splitlines():
            match = _HEADER.match(line)
            if not match:
                break
            head[match.group(1)] = match.group(2).strip()
        missing = {"attempts", "expect", "limit_s"} - set(head)
        if missing:
            raise ValueError(f"{path.name}: header lacks {', '.join(sorted(missing))}")
        limits: dict[str, Any] = {}
        for item in head.get("limits", "").split():
            key, _, value = item.partition("=")
            limits[key] = _value(value)
        cases.append(Case(path.stem, text, head["attempts"], head["expect"],
                          float(head["limit_s"]), tuple(head.get("modules", "").split()), limits))
    return cases


def _value(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


@dataclass
class Verdict:
    name: str
    escaped: bool
    why: str
    error: str
    seconds: float
    layers: list[str]


def _judge(case: Case, result: Any, seconds: float, secret: str, outside: Path,
           connections: int, canary: tuple[object, object], grown_mb: float) -> Verdict:
    text = json.dumps([result.error, result.output, result.value, result.calls], default=str)
    why = ""
    if secret in text:
        why = "the secret reached the result"
    elif any(outside.iterdir()):
        why = f"wrote outside its folder: {sorted(p.name for p in outside.iterdir())}"
    elif canary[0] != canary[1]:
        why = f"changed the canary outside its folder: {canary[0]} -> {canary[1]}"
    elif grown_mb > PARENT_MB:
        why = f"grew the parent's memory by {grown_mb:.0f} MB"
    elif connections:
        why = "connected to the listening port"
    elif result.ok:
        why = "ran to the end without being stopped"
    elif not re.search(case.expect, result.error):
        why = f"stopped for another reason than /{case.expect}/"
    elif seconds > case.limit_s:
        why = f"stopped after {seconds:.1f} s, over its limit of {case.limit_s} s"
    return Verdict(case.name, bool(why), why, result.error[:300], round(seconds, 3),
                   list(result.isolation.get("layers", [])))


def _file_state(path: Path) -> tuple[object, ...]:
    st = path.stat()
    return path.read_text(), oct(st.st_mode), st.st_uid, st.st_gid, st.st_mtime_ns


_IPC_CREAT, _IPC_RMID = 0o1000, 0


@contextlib.contextmanager
def _shared_memory(secret: str) -> Any:
    """A System V segment holding ``secret`` (mode 0600): (key, id), or (0, -1) without."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmat.restype = ctypes.c_void_p
    key = secrets.randbelow(2**30) + 1
    shmid = int(libc.shmget(key, 4096, _IPC_CREAT | 0o600))
    if shmid < 0:
        yield 0, -1
        return
    try:
        address = libc.shmat(shmid, None, 0)
        if address not in (None, ctypes.c_void_p(-1).value):
            ctypes.memmove(address, secret.encode(), len(secret))
            libc.shmdt(ctypes.c_void_p(address))
        yield key, shmid
    finally:
        libc.shmctl(shmid, _IPC_RMID, None)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_all(cases: list[Case], scratch: Path) -> list[Verdict]:
    """Run every case with a fresh secret, folder, segment and listening port."""
    verdicts = []
    for case in cases:
        secret = secrets.token_hex(16)
        with _shared_memory(secret) as shm:
            verdicts.append(_run_one(case, scratch, secret, shm))
    return verdicts


def _run_one(case: Case, scratch: Path, secret: str, shm: tuple[int, int]) -> Verdict:
    from agentkit.sandbox import SandboxLimits, run_program

    os.environ[SECRET_ENV] = secret
    canary = scratch / "canary.txt"
    canary.write_text(secret)
    canary.chmod(0o644)
    canary_before = _file_state(canary)
    outside = Path(tempfile.mkdtemp(dir=scratch, prefix="outside-"))
    outside.chmod(0o777)
    workdir = Path(tempfile.mkdtemp(dir=scratch, prefix="work-"))
    workdir.chmod(0o777)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    code = (case.code.replace("{CANARY}", str(canary)).replace("{OUTSIDE}", str(outside))
            .replace("{PORT}", str(server.getsockname()[1]))
            .replace("{SECRET_ENV}", SECRET_ENV).replace("{SHM_KEY}", str(shm[0]))
            .replace("{SHM_ID}", str(shm[1])))
    known = {f.name for f in fields(SandboxLimits)}
    base = SandboxLimits(timeout_s=3.0, cpu_s=3, memory_mb=256)
    limits = SandboxLimits(**{
        **asdict(base), **{k: v for k, v in case.limits.items() if k in known},
        "allowed_modules": (*base.allowed_modules, *case.modules),
    })
    peak = _peak_mb()
    started = time.monotonic()
    try:
        result = run_program(code, {"echo": lambda x=None: x}, entry=case.limits.get("entry"),
                             workdir=workdir, limits=limits)
    except Exception as exc:  # a program must never make the caller fail
        server.close()
        return Verdict(case.name, True, f"the parent raised {type(exc).__name__}",
                       str(exc)[:300], round(time.monotonic() - started, 3), [])
    seconds = time.monotonic() - started
    grown = _peak_mb() - peak
    connections = 0
    try:
        while True:
            server.accept()[0].close()
            connections += 1
    except BlockingIOError:
        pass
    server.close()
    return _judge(case, result, seconds, secret, outside, connections,
                  (canary_before, _file_state(canary)), grown)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", type=Path, help="write the verdicts here")
    parser.add_argument("--only", help="run the cases whose name contains this")
    args = parser.parse_args(argv)
    cases = [c for c in load() if not args.only or args.only in c.name]
    with tempfile.TemporaryDirectory(prefix="agentkit-hostile-") as scratch:
        os.chmod(scratch, 0o755)
        verdicts = run_all(cases, Path(scratch))
    for v in verdicts:
        print(f"{'ESCAPED' if v.escaped else 'stopped'} {v.name}: {v.why or v.error[:120]}"
              f" ({v.seconds} s)")
    print(f"uid {os.getuid()}: {sum(v.escaped for v in verdicts)} escapes of {len(verdicts)}")
    if args.json:
        args.json.write_text(json.dumps([asdict(v) for v in verdicts], indent=1))
    return 1 if any(v.escaped for v in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
