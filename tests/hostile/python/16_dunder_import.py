# attempts: call __import__ directly
# expect: __import__
# limit_s: 5
x = __import__("os")
