# attempts: unbounded recursion
# expect: RecursionError|maximum recursion
# limit_s: 5
def f(n):
    return f(n + 1)
f(0)
