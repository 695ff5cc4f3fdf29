"""Code mode: run an LLM-written Python program in a sandboxed subprocess.

The program is compiled with RestrictedPython and run in a child process under OS limits;
the primitives it calls stay in this process and are served over a pipe.  See docs/sandbox.md.
"""

from agentkit.sandbox.runner import (
    ProgramResult,
    SandboxError,
    SandboxLimits,
    check_program,
    run_program,
)

__all__ = ["ProgramResult", "SandboxError", "SandboxLimits", "check_program", "run_program"]
