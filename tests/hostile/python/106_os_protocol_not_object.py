# attempts: a protocol line that is JSON but no object ("refused" in 1 raised TypeError in the parent)
# expect: protocol error
# limit_s: 5
# modules: os
import os
os.write(3, b'1\n')
os.read(4, 1)
