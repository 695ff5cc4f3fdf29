# attempts: grow the parent's memory: each primitive call carries ~3 MB of JSON that decodes to a million lists, kept in the call record (20x the bytes)
# expect: output over
# limit_s: 25
# limits: timeout_s=20
# The output limit stops it in 1.7 s on a quiet 2-core machine; at load 7 it ran past 8 s.
big = [[] for i in range(1000000)]
while True:
    echo(big)
