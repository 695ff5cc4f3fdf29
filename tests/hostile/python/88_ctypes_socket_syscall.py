# attempts: the socket system call through ctypes
# expect: socket refused
# limit_s: 5
# modules: ctypes
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
if libc.syscall(41, 2, 1, 0) < 0:
    raise OSError(ctypes.get_errno(), "socket refused")
