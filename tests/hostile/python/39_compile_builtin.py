# attempts: compile code at run time
# expect: name 'compile' is not defined
# limit_s: 5
c = compile("1", "x", "eval")
