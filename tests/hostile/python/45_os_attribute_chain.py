# attempts: with os allowed on purpose, reach sys and posixpath as os's attributes
# expect: import of 'sys' is not allowed
# limit_s: 5
# modules: os
import os
print(os.sys.modules)
