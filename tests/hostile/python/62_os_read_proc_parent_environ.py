# attempts: read the parent's environment through /proc
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
fd = os.open("/proc/%d/environ" % os.getppid(), os.O_RDONLY)
print(os.read(fd, 100000))
