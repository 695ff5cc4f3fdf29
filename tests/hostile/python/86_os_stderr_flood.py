# attempts: write endlessly to stderr (a file of the parent's)
# expect: File too large|file size limit exceeded
# limit_s: 8
# modules: os
# limits: timeout_s=4.0
import os
while True:
    os.write(2, b"x" * 65536)
