# attempts: pass update_wrapper's check with objects equal to everything (tuple comparison calls their __eq__), hoping assigned=/updated= are then honoured
# expect: has no attribute 'sys'
# limit_s: 5
import functools, statistics
class Any:
    def __eq__(self, other):
        return True
def f():
    pass
functools.update_wrapper(f, statistics.mean, assigned=[Any()] * len(functools.WRAPPER_ASSIGNMENTS), updated=[Any()])
print(f.sys)
