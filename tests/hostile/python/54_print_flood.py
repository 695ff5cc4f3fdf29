# attempts: print without end
# expect: timed out after 1.0 s
# limit_s: 4
# limits: timeout_s=1.0
while True:
    print("flood " * 100)
