# attempts: str.format taken unbound from the str type
# expect: format
# limit_s: 5
fmt = getattr(str, "format")
print(fmt("{0.__class__}", 1))
