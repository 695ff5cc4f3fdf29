# attempts: create a System V message queue, which outlives the child (kernel memory no rlimit counts)
# expect: msgget refused
# limit_s: 5
# modules: ctypes
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
q = libc.msgget(0, 0o1600)
if q < 0:
    raise OSError(ctypes.get_errno(), "msgget refused")
libc.msgctl(q, 0, None)
