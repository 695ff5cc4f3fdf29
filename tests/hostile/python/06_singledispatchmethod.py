# attempts: the method form of singledispatch, same eval of annotations
# expect: has no attribute 'singledispatchmethod'
# limit_s: 5
import functools
x = functools.singledispatchmethod
