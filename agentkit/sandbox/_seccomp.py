"""A seccomp-bpf filter, built with libseccomp (through ``pyseccomp``), for the sandbox child.

Allow by default, and answer ``EPERM`` to the system calls a confined program has no use
for and an escaped one would want: making processes or threads, exec, ptrace and reading
other processes' memory, sockets of any kind, namespaces and mounts, kernel interfaces
(bpf, io_uring, perf, modules, keys).  A deny list rather than an allow list: CPython's
needs change with versions and libc, and the filesystem and network are already closed by
Landlock and the network namespace; this layer closes what those do not cover.

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
)


def install(allow: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Load the filter into this process (and its future threads); returns the names denied.

    ``allow`` takes calls off the list (``socket`` when the network is allowed, ``fork`` and
    ``clone`` when processes are).
    Raises ``ImportError`` without pyseccomp/libseccomp and ``OSError`` if the kernel refuses.
    """
    import pyseccomp

    flt = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    denied = []
    for name in DENIED:
        if name in allow:
            continue
        try:
            flt.add_rule(pyseccomp.ERRNO(errno.EPERM), name)
        except (OSError, ValueError, RuntimeError):
            continue  # not a system call on this architecture (e.g. iopl on arm64)
        denied.append(name)
    flt.load()
    return denied
