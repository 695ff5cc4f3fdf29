# attempts: move a file from the folder to outside it
# expect: Permission denied|Operation not permitted|Invalid cross-device link
# limit_s: 5
# modules: os
import os
fd = os.open("inside", os.O_WRONLY | os.O_CREAT, 0o644)
os.close(fd)
os.rename("inside", "{OUTSIDE}/moved")
