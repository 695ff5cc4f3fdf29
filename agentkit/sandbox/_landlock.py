"""Landlock through ctypes: a filesystem allow-list, no TCP, no signals out, for this process.

Landlock (Linux >= 5.13) lets an *unprivileged* process give up access it has: after
:func:`restrict` the process (and anything it could start) may only open paths beneath the
allowed folders, with the rights given for each.  ABI 4 adds TCP bind/connect rights (we
handle them and grant none), ABI 6 adds scopes (no abstract unix sockets or signals to
processes outside the domain, so a program cannot signal the agent that started it).

Standard library only: the sandbox child loads this file before anything else is allowed.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterable

__all__ = ["READ", "WRITE", "LandlockError", "abi_version", "restrict"]

_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446  # the same on every architecture
_VERSION_FLAG = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

# Filesystem rights we grant (bits 6 and 9-13: devices, sockets, fifos, links, refer).
_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_REMOVE_DIR, _REMOVE_FILE, _MAKE_DIR, _MAKE_REG = 1 << 4, 1 << 5, 1 << 7, 1 << 8
_TRUNCATE, _IOCTL_DEV = 1 << 14, 1 << 15
# Every right each ABI knows (all handled, so anything not granted is denied).
_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1 << 0, 1 << 1

READ = _READ_FILE | _READ_DIR
"""Read files and list folders."""
WRITE = READ | _WRITE_FILE | _REMOVE_DIR | _REMOVE_FILE | _MAKE_DIR | _MAKE_REG | _TRUNCATE
"""Read, create, change and delete regular files and folders (no devices, sockets, links)."""


class LandlockError(OSError):
    """Landlock is missing or refused a step; the message names the step."""


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _call(libc: ctypes.CDLL, step: str, *args: object) -> int:
    result = int(libc.syscall(*args))
    if result < 0:
        errno = ctypes.get_errno()
        raise LandlockError(errno, f"landlock {step}: {os.strerror(errno)}")
    return result


def abi_version() -> int:
    """The kernel's Landlock ABI (0 when Landlock is not built in or not enabled at boot)."""
    libc = _libc()
    version = int(libc.syscall(ctypes.c_long(_CREATE_RULESET), None, ctypes.c_size_t(0),
                               ctypes.c_uint32(_VERSION_FLAG)))
    return max(version, 0)


def _fs_rights(abi: int) -> int:
    return _FS_BY_ABI[max(v for v in _FS_BY_ABI if v <= abi)]


def restrict(rules: Iterable[tuple[str, int]], *, network: bool = False) -> dict[str, object]:
    """Confine this process: only ``rules`` ((path, rights), rights from READ/WRITE) for files,
    no TCP bind or connect unless ``network`` (ABI >= 4), no abstract unix sockets or
    signals out (ABI >= 6).

    Paths are opened here (``O_PATH``), so call this while they can still be opened; a path
    that does not exist is skipped.  Returns what took effect; raises :class:`LandlockError`.
    """
    abi = abi_version()
    if abi < 1:
        raise LandlockError(0, "landlock is not available in this kernel (needs Linux >= 5.13 "
                            "with landlock in the lsm= boot list)")
    handled_fs = _fs_rights(abi)
    attr = _RulesetAttr(handled_fs, 0, 0)
    if abi >= 4 and not network:
        attr.handled_access_net = _NET_BIND_TCP | _NET_CONNECT_TCP
    if abi >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else 16 if abi >= 4 else 8
    libc = _libc()
    ruleset = _call(libc, "create_ruleset", ctypes.c_long(_CREATE_RULESET), ctypes.byref(attr),
                    ctypes.c_size_t(size), ctypes.c_uint32(0))
    allowed: list[str] = []
    try:
        for path, rights in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except FileNotFoundError:
                continue
            try:
                access = rights & handled_fs
                if not os.path.isdir(path):
                    access &= _EXECUTE | _WRITE_FILE | _READ_FILE | _TRUNCATE | _IOCTL_DEV
                rule = _PathBeneath(access, fd)
                _call(libc, f"add_rule {path}", ctypes.c_long(_ADD_RULE), ctypes.c_int(ruleset),
                      ctypes.c_int(_RULE_PATH_BENEATH), ctypes.byref(rule), ctypes.c_uint32(0))
                allowed.append(path)
            finally:
                os.close(fd)
        if int(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) != 0:
            errno = ctypes.get_errno()
            raise LandlockError(errno, f"prctl(NO_NEW_PRIVS): {os.strerror(errno)}")
        _call(libc, "restrict_self", ctypes.c_long(_RESTRICT_SELF), ctypes.c_int(ruleset),
              ctypes.c_uint32(0))
    finally:
        os.close(ruleset)
    return {"abi": abi, "paths": allowed, "net": abi >= 4 and not network, "scoped": abi >= 6}
