# attempts: import os
# expect: import of 'os' is not allowed
# limit_s: 5
import os
print(os.listdir("/"))
