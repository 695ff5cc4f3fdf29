# attempts: reach object through mro() of a builtin exception, then its subclasses
# expect: starts with
# limit_s: 5
obj = PrimitiveError.mro()[-1]
subs = getattr(obj, "__subcl" + "asses__")()
