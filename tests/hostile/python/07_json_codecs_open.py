# attempts: reach codecs.open through the json module's imports
# expect: has no attribute 'codecs'
# limit_s: 5
import json
print(json.codecs.open("{CANARY}").read())
