# attempts: str.format with an attribute path in the field ({0.__class__})
# expect: format
# limit_s: 5
print("{0.__class__.__mro__}".format(1))
