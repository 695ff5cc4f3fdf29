"""Run a command as an unprivileged user (uid 65534) from a root test process.

CI runs as root, but the sandbox must hold for anyone.  Dropping to ``nobody`` is not enough
when what the command needs lives under a folder only root may enter: the interpreter under
``/root`` (pyenv), or the checkout itself when it was cloned into ``mktemp -d`` (mode 700).
In a private mount namespace each such folder is covered with an empty world-readable tmpfs
and only what the command needs is mounted back, then ``setpriv`` drops every privilege.
Everything else in those folders stays hidden, as it would from a real user.
"""

from __future__ import annotations

import os
import shlex
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

__all__ = ["NOBODY", "unprivileged_command"]

NOBODY = 65534


def _closed(folder: Path) -> bool:
    return not folder.stat().st_mode & stat.S_IXOTH


def _openings(paths: Iterable[Path]) -> dict[Path, set[Path]]:
    """For each folder others may not enter, the entries in it that must be reachable.

    A closed folder on the way to a path opens only the entry on that path; a path that is
    itself a closed folder opens all its entries (their own modes still apply).
    """
    openings: dict[Path, set[Path]] = {}
    for path in paths:
        parts = path.parts
        for depth in range(1, len(parts)):
            folder = Path(*parts[:depth])
            if _closed(folder):
                openings.setdefault(folder, set()).add(Path(*parts[: depth + 1]))
        if path.is_dir() and _closed(path):
            openings.setdefault(path, set()).update(path.iterdir())
    return openings


def _reopen(folder: Path, entries: set[Path], parked: Path) -> list[str]:
    """Shell steps that cover ``folder`` with a tmpfs and mount ``entries`` back into it."""
    q = shlex.quote
    steps, moves = [], []
    for entry in sorted(entries):
        spot = parked / str(len(list(parked.iterdir())))  # a new name each time
        spot.mkdir() if entry.is_dir() else spot.touch()
        steps.append(f"mount --bind {q(str(entry))} {q(str(spot))}")
        make = "mkdir -p" if entry.is_dir() else "touch"
        moves += [f"{make} {q(str(entry))}", f"mount --move {q(str(spot))} {q(str(entry))}"]
    return [*steps, f"mount -t tmpfs -o mode=755 tmpfs {q(str(folder))}", *moves]


def unprivileged_command(argv: list[str], scratch: Path, *, cwd: Path,
                         reach: Iterable[Path] = ()) -> list[str]:
    """``argv`` wrapped to run in ``cwd`` as uid/gid 65534 with no capabilities (root only).

    The interpreter, its environment (``sys.prefix``), ``cwd`` and ``reach`` stay reachable.
    """
    if os.geteuid() != 0:
        raise RuntimeError("only root can switch to another user")
    needed = [Path(os.path.realpath(sys.executable)), Path(sys.prefix).absolute(),
              cwd.absolute(), *(Path(p).absolute() for p in reach)]
    parked = scratch / "parked"
    parked.mkdir(exist_ok=True)
    steps: list[str] = []
    # Outer folders first: an inner closed folder is mounted back before it is covered.
    for folder, entries in sorted(_openings(needed).items(), key=lambda kv: len(kv[0].parts)):
        steps += _reopen(folder, entries, parked)
    steps.append(f"cd {shlex.quote(str(cwd.absolute()))}")
    steps.append(
        f"exec setpriv --reuid={NOBODY} --regid={NOBODY} --clear-groups --inh-caps=-all "
        f"env HOME={shlex.quote(str(scratch))} PATH=/usr/local/bin:/usr/bin:/bin "
        + " ".join(shlex.quote(a) for a in argv)
    )
    return ["unshare", "--mount", "--propagation", "private", "sh", "-ec", "; ".join(steps)]
