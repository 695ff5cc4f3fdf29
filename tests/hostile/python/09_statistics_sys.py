# attempts: reach sys through the statistics module attribute
# expect: has no attribute 'sys'
# limit_s: 5
import statistics
print(statistics.sys.modules["os"].environ)
