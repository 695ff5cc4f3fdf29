# attempts: the same walk with names built at run time
# expect: starts with
# limit_s: 5
cls = getattr((), "__cla" + "ss__")
