# attempts: a reply line far over the parent's line limit
# expect: output over
# limit_s: 8
# limits: memory_mb=512 entry=run
def run():
    return "x" * 6000000
