# attempts: read /etc/passwd and /etc/hostname
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
os.open("/etc/passwd", os.O_RDONLY)
