# attempts: hard-link the secret into the program's folder
# expect: Permission denied|Operation not permitted|Invalid cross-device link
# limit_s: 5
# modules: os
import os
os.link("{CANARY}", "copy")
