# attempts: a "done" without "ok" and with a line that is no number (the parent indexed message["ok"] and handed the line on)
# expect: forged done
# limit_s: 5
# modules: os
import os
os.write(3, b'{"done": true, "error": "forged done", "line": "7; rm -rf /"}\n')
os.read(4, 1)
