# attempts: the classic ().__class__.__bases__[0].__subclasses__() walk
# expect: starts with
# limit_s: 5
x = ().__class__.__bases__[0].__subclasses__()
