# attempts: overwrite an attribute of an allowed module
# expect: attribute-less object|assign|not allowed|can't set|write
# limit_s: 5
import json
json.dumps = print
