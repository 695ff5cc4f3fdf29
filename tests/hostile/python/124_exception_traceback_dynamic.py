# attempts: an exception's traceback with the attribute name built at run time, then its frame's globals
# expect: starts with
# limit_s: 5
try:
    1 / 0
except ZeroDivisionError as e:
    tb = getattr(e, "__trace" + "back__")
    print(getattr(getattr(tb, "tb_" + "frame"), "f_globals"))
