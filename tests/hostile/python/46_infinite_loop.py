# attempts: an endless loop
# expect: timed out after 1.0 s
# limit_s: 4
# limits: timeout_s=1.0 cpu_s=10
while True:
    pass
