# attempts: use update_wrapper to overwrite attributes of a standard-library function
# expect: only decorate the program's own functions
# limit_s: 5
import functools, statistics
def mine():
    pass
functools.update_wrapper(statistics.mean, mine)
