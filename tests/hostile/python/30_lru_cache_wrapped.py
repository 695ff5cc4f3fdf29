# attempts: reach the wrapped function of an lru_cache and its globals
# expect: starts with
# limit_s: 5
import functools, statistics
cached = functools.lru_cache(statistics.mean)
inner = getattr(cached, "__wrap" + "ped__")
