# attempts: write a second "ready" into the protocol pipe to reset the parent's deadline and rewrite the isolation record, then sleep past the time limit
# expect: protocol error
# limit_s: 5
# modules: os ctypes
import os, ctypes
libc = ctypes.CDLL(None)
for i in range(5):
    os.write(3, b'{"ready": true, "isolation": {"layers": ["forged"], "missing": {}}}\n')
    libc.usleep(2000000)
