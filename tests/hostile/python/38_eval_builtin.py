# attempts: eval a string
# expect: Eval calls are not allowed|eval
# limit_s: 5
eval("1")
