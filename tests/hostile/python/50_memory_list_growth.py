# attempts: grow a list until memory runs out
# expect: memory limit 128 MB exceeded
# limit_s: 8
# limits: memory_mb=128
x = []
while True:
    x.append("a" * 1000000)
