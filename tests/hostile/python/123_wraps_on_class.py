# attempts: functools.wraps as a class decorator, to hang a stdlib function's attributes on a class of the program
# expect: only decorate the program's own functions
# limit_s: 5
import functools, statistics
@functools.wraps(statistics.mean)
class C:
    pass
print(C)
