# attempts: print(file=...) to an object with a write method of its choosing, then fail
# expect: redirected print stayed in the sandbox
# limit_s: 5
import json
class W:
    def write(self, s):
        raise RuntimeError("print wrote through file=")
print("x", file=W())
raise RuntimeError("redirected print stayed in the sandbox")
