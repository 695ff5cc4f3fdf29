# attempts: subprocess.run a command
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: subprocess
import subprocess
print(subprocess.run(["cat", "{CANARY}"], capture_output=True).stdout)
