# attempts: load a BPF program
# expect: bpf refused
# limit_s: 5
# modules: ctypes
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
if libc.syscall(321, 5, None, 0) < 0:
    raise OSError(ctypes.get_errno(), "bpf refused")
