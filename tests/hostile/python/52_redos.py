# attempts: catastrophic regular-expression backtracking
# expect: timed out|CPU time limit
# limit_s: 5
# limits: timeout_s=1.5 cpu_s=1
import re
re.match("(a+)+$", "a" * 64 + "b")
