# attempts: make a symlink in the folder that points at the secret, then read through it
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
os.symlink("{CANARY}", "link")
print(open("link").read())
