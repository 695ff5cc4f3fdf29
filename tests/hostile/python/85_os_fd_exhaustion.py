# attempts: open files until none are left
# expect: Too many open files
# limit_s: 5
# modules: os
import os
fds = []
while True:
    fds.append(os.open("/dev/null", os.O_RDONLY))
