# attempts: reach json.decoder by building the attribute name at run time
# expect: has no attribute 'decoder'
# limit_s: 5
import json
print(getattr(json, "dec" + "oder").scanstring)
