# attempts: patch methods onto a standard-library class with functools.total_ordering
# expect: total_ordering in the sandbox only decorates
# limit_s: 5
import functools, statistics
functools.total_ordering(statistics.NormalDist)
