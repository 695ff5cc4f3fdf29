# attempts: functools re-exports collections.namedtuple and more as attributes
# expect: has no attribute 'namedtuple'
# limit_s: 5
import functools
print(functools.namedtuple)
