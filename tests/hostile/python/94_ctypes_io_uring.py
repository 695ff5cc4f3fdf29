# attempts: set up io_uring (which can open and connect behind seccomp's back)
# expect: io_uring refused
# limit_s: 5
# modules: ctypes
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
params = (ctypes.c_uint8 * 120)()
if libc.syscall(425, 8, ctypes.byref(params)) < 0:
    raise OSError(ctypes.get_errno(), "io_uring refused")
