# attempts: posix_spawn a process
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
os.posix_spawn("/bin/cat", ["cat", "{CANARY}"], {})
