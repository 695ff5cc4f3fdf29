# attempts: the same frame access with the attribute name built at run time
# expect: restricted name
# limit_s: 5
def gen():
    yield 1
g = gen()
frame = getattr(g, "gi_" + "frame")
