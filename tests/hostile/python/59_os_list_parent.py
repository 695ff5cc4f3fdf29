# attempts: list the folder above the program's folder (where the secret lies)
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
print(os.listdir(".."))
