# attempts: write into /tmp
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
fd = os.open("/tmp/agentkit-hostile-pwned", os.O_WRONLY | os.O_CREAT, 0o644)
