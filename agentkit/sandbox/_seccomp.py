"""A seccomp-bpf filter, built with libseccomp (through ``pyseccomp``), for the sandbox child.

Allow by default, and answer ``EPERM`` to the system calls a confined program has no use
for and an escaped one would want: making processes or threads, exec, ptrace and reading
other processes' memory, sockets of any kind, namespaces and mounts, kernel interfaces
(bpf, io_uring, perf, modules, keys), what Landlock does not cover on files (changing the
mode, owner, times or extended attributes of files outside, truncating by path before
Landlock ABI 3, watching folders with inotify), System V and POSIX message-queue IPC (no
paths, so no Landlock either), and changing another process of the same user (its
resource limits, scheduling, priority, memory placement).  A deny list rather than an
allow list: CPython's needs change with versions and libc, and the filesystem and network
are already closed by Landlock and the network namespace; this layer closes what those do
not cover.

Standard library plus ``pyseccomp`` only: loaded by path in the sandbox child.
"""

from __future__ import annotations

import errno

__all__ = ["DENIED", "install"]

DENIED: tuple[str, ...] = (
    # processes, threads and exec
    "fork", "vfork", "clone", "clone3", "execve", "execveat",
    # other processes
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_open", "pidfd_getfd",
    "process_madvise",
    # network: no socket of any family (the parent talks over inherited pipes)
    "socket", "socketpair",
    # namespaces, mounts, roots
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot", "mount_setattr",
    "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick",
    "name_to_handle_at", "open_by_handle_at",
    # kernel interfaces
    "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter",
    "io_uring_register", "init_module", "finit_module", "delete_module", "kexec_load",
    "kexec_file_load", "keyctl", "add_key", "request_key", "acct", "quotactl", "swapon",
    "swapoff", "reboot", "syslog", "iopl", "ioperm", "personality", "uselib",
    "lookup_dcookie", "fanotify_init",
    # identity
    "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid", "setgroups",
    "setfsuid", "setfsgid",
    # file metadata, which Landlock does not cover (mode, owner, times, xattrs, flags)
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
    "utime", "utimes", "utimensat", "futimesat", "setxattr", "lsetxattr", "fsetxattr",
    "removexattr", "lremovexattr", "fremovexattr", "setxattrat", "removexattrat",
    "file_setattr", "truncate", "inotify_init", "inotify_init1", "inotify_add_watch",
    "quotactl_fd",
    # IPC without paths: System V shared memory, queues, semaphores; POSIX queues
    "shmget", "shmat", "shmdt", "shmctl", "msgget", "msgsnd", "msgrcv", "msgctl", "semget",
    "semop", "semtimedop", "semctl", "mq_open", "mq_unlink", "mq_timedsend",
    "mq_timedreceive", "mq_notify", "mq_getsetattr",
    # another process's priority (PRIO_USER: every process of the user)
    "setpriority", "ioprio_set",
)

OTHER_PROCESS: tuple[str, ...] = (
    "prlimit64", "sched_setaffinity", "sched_setscheduler", "sched_setparam",
    "sched_setattr", "migrate_pages", "move_pages", "get_robust_list",
)
"""Calls whose first argument is a pid: refused unless it is 0 (this process).  Landlock
does not cover them, and a process of the same user may otherwise lower the parent's
resource limits (``RLIMIT_CPU`` below what it used kills it) or starve it."""

_NUMBERS = {"fchmodat2": 452, "setxattrat": 463, "removexattrat": 466, "file_setattr": 469}
"""Calls newer than some libseccomp releases know by name; numbered after the tables were
unified (424 on), so the same on every architecture."""


def install(allow: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Load the filter into this process (and its future threads); returns the names denied.

    ``allow`` takes calls off the list (``socket`` when the network is allowed, ``fork`` and
    ``clone`` when processes are).
    Raises ``ImportError`` without pyseccomp/libseccomp and ``OSError`` if the kernel refuses.
    """
    import pyseccomp

    flt = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    denied = []
    refuse = pyseccomp.ERRNO(errno.EPERM)
    other = pyseccomp.Arg(0, pyseccomp.NE, 0)
    for name in (*DENIED, *OTHER_PROCESS):
        if name in allow:
            continue
        conditions = (other,) if name in OTHER_PROCESS else ()
        try:
            flt.add_rule(refuse, _syscall(pyseccomp, name), *conditions)
        except (OSError, ValueError, RuntimeError):
            continue  # not a system call on this architecture (e.g. iopl on arm64)
        denied.append(name)
    flt.load()
    return denied


def _syscall(pyseccomp: object, name: str) -> str | int:
    """``name``, or its number where this libseccomp does not know the name."""
    number = _NUMBERS.get(name)
    if number is None:
        return name
    try:
        known = int(pyseccomp.resolve_syscall(None, name))  # type: ignore[attr-defined]
    except (OSError, ValueError, RuntimeError, TypeError):
        known = -1
    return name if known >= 0 else number
