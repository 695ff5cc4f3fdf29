"""Code mode: run an LLM-written Python program in a confined subprocess.

The program is compiled with RestrictedPython and run in a child process confined by the
operating system (namespaces, Landlock, seccomp, rlimits); the primitives it calls stay in
this process and are served over a pipe.  See docs/sandbox.md.
"""

from agentkit.sandbox.runner import (
    UNCONFINED_ENV,
    ProgramResult,
    SandboxError,
    SandboxLimits,
    SandboxUnavailable,
    check_program,
    run_program,
)

__all__ = [
    "UNCONFINED_ENV",
    "ProgramResult",
    "SandboxError",
    "SandboxLimits",
    "SandboxUnavailable",
    "check_program",
    "run_program",
]
