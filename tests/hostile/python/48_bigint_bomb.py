# attempts: a huge integer power computed in C
# expect: CPU time limit|timed out|memory limit
# limit_s: 6
# limits: timeout_s=2.0 cpu_s=1
x = 10 ** (10 ** 9)
