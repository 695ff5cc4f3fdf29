# attempts: burn CPU in a loop
# expect: CPU time limit 1 s exceeded
# limit_s: 6
# limits: timeout_s=8.0 cpu_s=1
n = 0
while True:
    n = n + 1
