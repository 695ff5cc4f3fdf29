# attempts: list the root folder
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
print(os.listdir("/"))
