# attempts: reach sys through collections.abc
# expect: has no attribute 'sys'
# limit_s: 5
import collections.abc
print(collections.abc.sys)
