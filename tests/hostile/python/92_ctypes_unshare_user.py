# attempts: make a new user namespace (to mount over the allow-list)
# expect: unshare refused
# limit_s: 5
# modules: ctypes
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
if libc.unshare(0x10000000 | 0x00020000) < 0:
    raise OSError(ctypes.get_errno(), "unshare refused")
