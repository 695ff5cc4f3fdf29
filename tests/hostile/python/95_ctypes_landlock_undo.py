# attempts: a new Landlock ruleset cannot widen the old one: try reading through one that allows /
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: ctypes os
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
attr = (ctypes.c_uint64 * 3)(1 << 2, 0, 0)
fd = libc.syscall(444, ctypes.byref(attr), 24, 0)
root = os.open("/", os.O_PATH)
os.open("{CANARY}", os.O_RDONLY)
