# attempts: ptrace-attach to the agent
# expect: ptrace refused
# limit_s: 5
# modules: ctypes os
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
if libc.ptrace(16, os.getppid(), None, None) < 0:
    raise OSError(ctypes.get_errno(), "ptrace refused")
