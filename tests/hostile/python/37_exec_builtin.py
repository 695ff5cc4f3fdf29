# attempts: exec a string
# expect: Exec calls are not allowed|exec
# limit_s: 5
exec("import os")
