# attempts: truncate a file outside by path (Landlock covers it from ABI 3 only)
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
os.truncate("{CANARY}", 0)
