# attempts: the same copy of __globals__ through the functools.wraps decorator
# expect: update_wrapper/wraps in the sandbox take no
# limit_s: 5
import functools, statistics
@functools.wraps(statistics.median, updated=("__globals__",))
def g():
    pass
