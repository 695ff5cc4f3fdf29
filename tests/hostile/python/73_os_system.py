# attempts: run a shell command with os.system (fork + exec inside libc)
# expect: system returned -1|system returned
# limit_s: 5
# modules: os
import os
r = os.system("cat {CANARY} > {OUTSIDE}/pwned")
raise RuntimeError("system returned %d" % r)
