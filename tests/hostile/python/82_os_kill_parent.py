# attempts: kill the agent that started it
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
os.kill(os.getppid(), 9)
