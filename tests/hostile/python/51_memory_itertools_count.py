# attempts: list() of an infinite iterator
# expect: memory limit 128 MB exceeded|timed out
# limit_s: 8
# limits: memory_mb=128 timeout_s=4.0
import itertools
x = list(itertools.count())
