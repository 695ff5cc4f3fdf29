# attempts: a subclass of UserString calling its inherited format from a method
# expect: format\*\(\) methods of `UserString` is not safe
# limit_s: 5
import collections
class S(collections.UserString):
    def leak(self, obj):
        return self.format(obj)
def f():
    pass
print(S("{0.__globals__}").leak(f))
