"""Run a command as an unprivileged user (uid 65534) from a root test process.

CI runs as root, but the sandbox must hold for anyone.  Dropping to ``nobody`` is not enough
when the interpreter lives under a folder only root may enter (pyenv under ``/root``): in a
private mount namespace that folder is covered with an empty world-readable tmpfs and only
the interpreter's own tree is mounted back, then ``setpriv`` drops every privilege.  The
rest of ``/root`` stays hidden, as it would from a real user.
"""

from __future__ import annotations

import os
import shlex
import stat
import sys
from pathlib import Path

__all__ = ["NOBODY", "unprivileged_command"]

NOBODY = 65534


def _hidden_ancestor(path: Path) -> tuple[Path, Path] | None:
    """The first folder on ``path`` that others may not enter, and its child on the path."""
    parts = path.parts
    for depth in range(1, len(parts) - 1):
        folder = Path(*parts[:depth])
        if not folder.stat().st_mode & stat.S_IXOTH:
            return folder, Path(*parts[: depth + 1])
    return None


def unprivileged_command(argv: list[str], scratch: Path) -> list[str]:
    """``argv`` wrapped to run as uid/gid 65534 with no capabilities (root only)."""
    if os.geteuid() != 0:
        raise RuntimeError("only root can switch to another user")
    interpreter = Path(os.path.realpath(sys.executable))
    steps = []
    hidden = _hidden_ancestor(interpreter)
    if hidden is not None:
        folder, keep = hidden
        parked = scratch / "parked"
        parked.mkdir(exist_ok=True)
        steps += [
            f"mount --bind {shlex.quote(str(keep))} {shlex.quote(str(parked))}",
            f"mount -t tmpfs -o mode=755 tmpfs {shlex.quote(str(folder))}",
            f"mkdir -p {shlex.quote(str(keep))}",
            f"mount --move {shlex.quote(str(parked))} {shlex.quote(str(keep))}",
        ]
    steps.append(
        f"exec setpriv --reuid={NOBODY} --regid={NOBODY} --clear-groups --inh-caps=-all "
        f"env HOME={shlex.quote(str(scratch))} PATH=/usr/local/bin:/usr/bin:/bin "
        + " ".join(shlex.quote(a) for a in argv)
    )
    return ["unshare", "--mount", "--propagation", "private", "sh", "-ec", "; ".join(steps)]
