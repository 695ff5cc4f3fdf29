# attempts: read the program's own namespace (guards and builtins) with globals()
# expect: globals|not defined
# limit_s: 5
g = globals()
