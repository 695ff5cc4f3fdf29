# attempts: one huge string
# expect: memory limit 128 MB exceeded
# limit_s: 5
# limits: memory_mb=128
x = "a" * (2 ** 34)
