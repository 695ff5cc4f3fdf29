# attempts: set an extended attribute on a file outside (Landlock does not cover xattrs)
# expect: Operation not permitted|Permission denied
# limit_s: 5
# modules: os
import os
os.setxattr("{CANARY}", "user.agentkit", b"x")
