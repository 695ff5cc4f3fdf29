# attempts: clone3 through ctypes
# expect: clone3 refused
# limit_s: 5
# modules: ctypes
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
args = (ctypes.c_uint64 * 11)()
if libc.syscall(435, ctypes.byref(args), 88) < 0:
    raise OSError(ctypes.get_errno(), "clone3 refused")
