# attempts: copy statistics' module globals (sys included) into the program with functools.update_wrapper, then read a file with sys.modules['codecs']
# expect: update_wrapper/wraps in the sandbox take no
# limit_s: 5
import functools, statistics
def f():
    pass
functools.update_wrapper(f, statistics.mean, assigned=(), updated=("__globals__",))
print(f.sys.modules["codecs"].open("{CANARY}").read())
