# attempts: a format spec asking for a 4 GB wide field
# expect: memory limit|MemoryError
# limit_s: 5
print(f"{1:>4000000000}")
