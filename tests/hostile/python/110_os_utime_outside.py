# attempts: change the times of a file outside (Landlock does not cover utime)
# expect: Operation not permitted
# limit_s: 5
# modules: os
import os
os.utime("{CANARY}", (0, 0))
