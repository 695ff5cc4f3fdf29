# attempts: the fork system call through ctypes
# expect: fork refused
# limit_s: 5
# modules: ctypes
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
if libc.syscall(57) < 0:
    raise OSError(ctypes.get_errno(), "fork refused")
