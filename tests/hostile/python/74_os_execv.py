# attempts: replace the child with a shell
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
os.execv("/bin/sh", ["sh", "-c", "cat {CANARY}"])
