# attempts: become root again
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
os.setuid(0)
