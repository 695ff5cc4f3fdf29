# attempts: str.format through collections.UserString (not a str, so safer_getattr let it through): {0.__globals__} of a function
# expect: format\*\(\) methods of `UserString` is not safe
# limit_s: 5
import collections
def f():
    pass
print(collections.UserString("{0.__globals__[__builtins__]}").format(f))
