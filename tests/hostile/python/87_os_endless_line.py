# attempts: write an endless line without a newline into the parent's protocol pipe
# expect: output over|timed out
# limit_s: 8
# modules: os
# limits: timeout_s=4.0
import os
chunk = b"x" * 65536
while True:
    for fd in (3, 4, 5, 6):
        try:
            os.write(fd, chunk)
        except OSError:
            pass
