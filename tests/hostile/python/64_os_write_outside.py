# attempts: write a file next to the program's folder
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
fd = os.open("{OUTSIDE}/pwned", os.O_WRONLY | os.O_CREAT, 0o644)
