# attempts: functools.singledispatch evaluates string annotations with eval, outside RestrictedPython
# expect: has no attribute 'singledispatch'
# limit_s: 5
import functools
@functools.singledispatch
def f(x):
    pass
@f.register
def _(x: "().__class__.__base__.__subclasses__()"):
    pass
