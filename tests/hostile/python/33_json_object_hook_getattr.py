# attempts: a json object_hook that reaches dunder attributes
# expect: starts with
# limit_s: 5
import json
json.loads('{"a": 1}', object_hook=lambda d: getattr(d, "__cl" + "ass__"))
