# attempts: lru_cache around a stdlib function copies its __dict__ and __wrapped__ onto the wrapper; reach them by name
# expect: starts with
# limit_s: 5
import functools, statistics
w = functools.lru_cache(statistics.mean)
print(getattr(w, "__wrapped__"))
