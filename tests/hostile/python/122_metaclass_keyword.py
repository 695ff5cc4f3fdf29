# attempts: a class whose metaclass is a function of the program, to see and edit the class namespace (dunder keys) before the class is made
# expect: metaclass
# limit_s: 5
def meta(name, bases, ns):
    ns["__reduce_ex__"] = print
    return ns
class X(metaclass=meta):
    pass
