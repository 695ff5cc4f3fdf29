# attempts: fork
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
pid = os.fork()
