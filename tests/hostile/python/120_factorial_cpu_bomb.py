# attempts: one C call that runs for minutes (math.factorial of 10**8)
# expect: CPU time limit|timed out
# limit_s: 6
import math
math.factorial(100000000)
