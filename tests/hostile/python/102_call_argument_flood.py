# attempts: grow the parent's memory: each primitive call carries ~3 MB of JSON that decodes to a million lists, kept in the call record (20x the bytes)
# expect: output over
# limit_s: 10
# limits: timeout_s=8
big = [[] for i in range(1000000)]
while True:
    echo(big)
