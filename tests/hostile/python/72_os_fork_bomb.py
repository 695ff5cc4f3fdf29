# attempts: fork in a loop
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
while True:
    os.fork()
