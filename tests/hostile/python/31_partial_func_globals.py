# attempts: reach a standard-library function through partial().func, then its globals
# expect: starts with
# limit_s: 5
import functools, statistics
p = functools.partial(statistics.mean)
print(getattr(p.func, "__glob" + "als__"))
