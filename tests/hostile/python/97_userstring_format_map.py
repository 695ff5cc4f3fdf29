# attempts: UserString.format_map with an attribute path into a mapping's values
# expect: format\*\(\) methods of `UserString` is not safe
# limit_s: 5
import collections
def f():
    pass
print(collections.UserString("{f.__globals__}").format_map({"f": f}))
