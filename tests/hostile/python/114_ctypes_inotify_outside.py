# attempts: watch a folder outside with inotify (no open, so no Landlock): names and times of what the user does there
# expect: inotify refused
# limit_s: 5
# modules: os ctypes
import os, ctypes
libc = ctypes.CDLL(None, use_errno=True)
fd = libc.inotify_init1(0)
if fd < 0 or libc.inotify_add_watch(fd, "{CANARY}".rsplit("/", 1)[0].encode(), 0x2 | 0x100) < 0:
    raise OSError(ctypes.get_errno(), "inotify refused")
