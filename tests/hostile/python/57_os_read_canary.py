# attempts: read a file outside the program's folder
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
fd = os.open("{CANARY}", os.O_RDONLY)
print(os.read(fd, 100))
