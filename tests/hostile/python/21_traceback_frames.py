# attempts: walk a caught exception's traceback to its frames
# expect: starts with
# limit_s: 5
try:
    1 / 0
except ZeroDivisionError as e:
    tb = getattr(e, "__trace" + "back__")
