# attempts: UserString.format taken unbound from the class and called on an instance
# expect: format\*\(\) methods of `UserString` is not safe
# limit_s: 5
import collections
fmt = getattr(collections.UserString, "format")
print(fmt(collections.UserString("{0.__class__.__mro__}"), 1))
