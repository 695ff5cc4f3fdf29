# attempts: read f_globals/f_back through a generator's frame
# expect: restricted name
# limit_s: 5
def gen():
    yield 1
g = gen()
print(g.gi_frame.f_back.f_globals)
