# attempts: str.format_map with an attribute path
# expect: format
# limit_s: 5
print("{x.__class__}".format_map({"x": 1}))
