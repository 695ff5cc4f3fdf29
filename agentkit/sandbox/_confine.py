"""The sandbox child's OS layers, applied in order, each reported as applied or missing.

1. namespaces: a new network and mount namespace (root), or a user + network + mount
   namespace (anyone where the kernel allows unprivileged user namespaces), in which the
   program's folder is covered by a small tmpfs (its files count against a quota, not the
   disk, and vanish with the child);
2. Landlock: read only the interpreter's files, write only the program's folder, no TCP,
   no signals or abstract sockets out;
3. privilege drop to ``nobody`` when started as root (so rlimits and file modes apply);
4. rlimits: memory, CPU, file size, open files, processes, no core dumps;
5. seccomp: no processes, threads, exec, ptrace, sockets, namespaces or kernel interfaces.

Nothing here raises for a missing layer: the child reports :func:`confine`'s answer and the
parent decides (it refuses to run a program without the required layers unless the user
opted out).  Standard library (plus ``pyseccomp``, loaded lazily) only.
"""

from __future__ import annotations

import ctypes
import os
import resource
import sys
import sysconfig
from typing import Any

__all__ = ["REQUIRED", "confine", "missing_required"]

_CLONE_NEWNS = 0x00020000
_CLONE_NEWUSER = 0x10000000
_CLONE_NEWNET = 0x40000000
_MS_NOSUID, _MS_NODEV, _MS_NOEXEC, _MS_REC, _MS_PRIVATE = 2, 4, 8, 1 << 14, 1 << 18
_NOBODY = 65534
_FSIZE_BYTES = 10 * 2**20
_NOFILE = 32
WORKDIR_MB = 64
"""Size of the tmpfs over the program's folder (memory, not disk; files over it fail)."""
_WORKDIR_FILES = 1024

REQUIRED: dict[str, str] = {
    "landlock_fs": (
        "Landlock (the filesystem allow-list) is not available: it needs Linux >= 5.13 with "
        "'landlock' in the kernel's lsm= boot parameter (check "
        "/sys/kernel/security/lsm); in a container, a seccomp profile that allows the "
        "landlock_* system calls"
    ),
    "seccomp": (
        "the seccomp filter could not be loaded: it needs libseccomp (apt-get install "
        "libseccomp2) and the pyseccomp package (make setup installs both), and a kernel "
        "with seccomp filtering"
    ),
}
"""Layers code mode will not run without (unless opted out), with how to get each."""


def missing_required(info: dict[str, Any]) -> list[str]:
    """Why each required layer is missing, as sentences (empty when all applied)."""
    layers = info.get("layers", [])
    out = []
    for layer, how in REQUIRED.items():
        if layer not in layers:
            why = info.get("missing", {}).get(layer)
            out.append(f"{how}{f' ({why})' if why else ''}")
    return out


def _unshare(flags: int) -> str | None:
    libc = ctypes.CDLL(None, use_errno=True)
    if int(libc.unshare(flags)) == 0:
        return None
    return os.strerror(ctypes.get_errno())


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


def _read_paths(extra: list[str]) -> list[str]:
    """What the interpreter may still read: its standard library (lazy imports, codecs) and
    the packages the child itself loaded.  Not the user's files, not /proc, not /etc."""
    paths = {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]}
    paths.update(os.path.realpath(p) for p in list(paths))
    return sorted(paths | set(extra))


def _namespaces(limits: dict[str, Any], info: dict[str, Any]) -> None:
    root = os.geteuid() == 0
    uid, gid = os.getuid(), os.getgid()
    net = 0 if limits["network"] else _CLONE_NEWNET
    error = _unshare(net | _CLONE_NEWNS | (0 if root else _CLONE_NEWUSER))
    if error is not None:
        why = error if root else f"unprivileged user namespaces: {error}"
        if net:
            info["missing"]["net_namespace"] = why
        info["missing"]["workdir_tmpfs"] = why
        return
    if not root:
        info["layers"].append("user_namespace")
        _map_self(uid, gid, info)
    if net:
        info["layers"].append("net_namespace")
    _workdir_tmpfs(root, info)


def _map_self(uid: int, gid: int, info: dict[str, Any]) -> None:
    """Map our own ids into the new user namespace (files the tmpfs gets need an owner
    there); the only mapping an unprivileged process may write."""
    try:
        for name, text in (("uid_map", f"{uid} {uid} 1"), ("setgroups", "deny"),
                           ("gid_map", f"{gid} {gid} 1")):
            with open(f"/proc/self/{name}", "w") as f:
                f.write(text)
    except OSError as exc:
        info["missing"]["workdir_tmpfs"] = f"id mapping: {exc}"


def _workdir_tmpfs(root: bool, info: dict[str, Any]) -> None:
    """Cover the program's folder (the current one) with a tmpfs of WORKDIR_MB in this
    private mount namespace: writes cannot fill the disk, and nothing of them is left."""
    if "workdir_tmpfs" in info["missing"]:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    here = os.getcwd()
    owner = f",uid={_NOBODY},gid={_NOBODY}" if root else ""
    options = f"size={WORKDIR_MB}m,nr_inodes={_WORKDIR_FILES},mode=0700{owner}"
    if int(libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None)) != 0 or int(
        libc.mount(b"tmpfs", here.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC,
                   options.encode())
    ) != 0:
        info["missing"]["workdir_tmpfs"] = f"mount: {os.strerror(ctypes.get_errno())}"
        return
    os.chdir(here)  # onto the tmpfs just mounted over it
    info["layers"].append("workdir_tmpfs")


def _landlock(
    landlock: Any, limits: dict[str, Any], read: list[str], info: dict[str, Any]
) -> None:
    rules = [(path, landlock.READ) for path in _read_paths(read)]
    rules += [(".", landlock.WRITE), ("/dev/null", landlock.WRITE),
              ("/dev/urandom", landlock.READ)]
    try:
        applied = landlock.restrict(rules, network=bool(limits["network"]))
    except OSError as exc:
        info["missing"]["landlock_fs"] = str(exc)
        return
    info["landlock_abi"] = applied["abi"]
    info["layers"].append("landlock_fs")
    if applied["net"]:
        info["layers"].append("landlock_net")
    if applied["scoped"]:
        info["layers"].append("landlock_scope")


def _drop_privileges(info: dict[str, Any]) -> None:
    """As root, become ``nobody``: RLIMIT_NPROC and file modes then apply."""
    if os.geteuid() != 0:
        return
    try:
        os.setgroups([])
        os.setgid(_NOBODY)
        os.setuid(_NOBODY)
    except OSError as exc:
        info["missing"]["dropped_privileges"] = str(exc)
        return
    info["layers"].append("dropped_privileges")


def _rlimits(limits: dict[str, Any], running: int, info: dict[str, Any]) -> None:
    nproc = running + int(limits["max_processes"])
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
    info["layers"].append("rlimits")


def _seccomp(seccomp: Any, limits: dict[str, Any], info: dict[str, Any]) -> None:
    if seccomp is None:
        info["missing"]["seccomp"] = info["missing"].get("seccomp", "pyseccomp is not installed")
        return
    allow = set()
    if limits["network"]:
        allow |= {"socket", "socketpair"}
    if int(limits["max_processes"]) > 0:
        allow |= {"fork", "vfork", "clone", "clone3"}
    try:
        seccomp.install(allow)
    except (ImportError, OSError, RuntimeError) as exc:
        info["missing"]["seccomp"] = f"{type(exc).__name__}: {exc}"
        return
    info["layers"].append("seccomp")


class _Unavailable:
    """Stands in for a helper module whose kernel feature is absent."""

    READ = WRITE = 0

    def __init__(self, layer: str) -> None:
        self.layer = layer

    def restrict(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        raise OSError(f"{self.layer} left out on request")


def confine(
    limits: dict[str, Any], landlock: Any, seccomp: Any, read: list[str],
    skip: list[str] | tuple[str, ...] = (),
) -> dict[str, Any]:
    """Apply every layer this kernel and user allow; return ``{"layers", "missing", ...}``.

    ``landlock`` and ``seccomp`` are the loaded helper modules (``seccomp`` may be None when
    its import failed); ``read`` are extra folders the interpreter may read afterwards;
    ``skip`` names layers to leave out, as a kernel without them would (for tests).
    """
    info: dict[str, Any] = {"layers": ["process"], "missing": {}}
    if "landlock_fs" in skip:
        landlock = _Unavailable("landlock_fs")
    if "seccomp" in skip:
        seccomp = None
        info["missing"]["seccomp"] = "left out on request"
    # Counted first: /proc is out of reach once Landlock applies.  Root counts nobody's
    # processes plus this one, which is about to become nobody's.
    root = os.geteuid() == 0
    running = _count_processes(_NOBODY) + 1 if root else _count_processes(os.getuid())
    _namespaces(limits, info)
    _landlock(landlock, limits, read, info)
    _drop_privileges(info)  # (root that stays root ignores RLIMIT_NPROC anyway)
    _rlimits(limits, running, info)
    _seccomp(seccomp, limits, info)
    info["uid"] = os.getuid()
    info["python"] = sys.version.split()[0]
    return info
