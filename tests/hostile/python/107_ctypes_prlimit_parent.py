# attempts: read and rewrite the parent's resource limits with prlimit (same user: Landlock does not cover it; RLIMIT_CPU under what it used kills the parent)
# expect: prlimit refused
# limit_s: 5
# modules: os ctypes
import os, ctypes
libc = ctypes.CDLL(None, use_errno=True)
limit = (ctypes.c_uint64 * 2)()
if libc.prlimit(os.getppid(), 4, None, ctypes.byref(limit)) != 0:
    raise OSError(ctypes.get_errno(), "prlimit refused")
if libc.prlimit(os.getppid(), 4, ctypes.byref(limit), None) != 0:
    raise OSError(ctypes.get_errno(), "prlimit refused")
print("rewrote the parent's core limit", limit[0], limit[1])
