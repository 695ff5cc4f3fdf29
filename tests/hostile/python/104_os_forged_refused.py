# attempts: send "refused" after starting, so that the caller sees SandboxUnavailable (a sandbox failure) instead of a program failure
# expect: protocol error
# limit_s: 5
# modules: os
import os
os.write(3, b'{"refused": ["forged"], "isolation": {}}\n')
os.read(4, 1)
