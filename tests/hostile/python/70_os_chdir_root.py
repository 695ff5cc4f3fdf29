# attempts: change to / and read from there
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
os.chdir("/")
print(os.listdir("."))
