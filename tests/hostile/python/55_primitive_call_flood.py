# attempts: call a primitive in an endless loop
# expect: primitive call limit 200 exceeded|timed out
# limit_s: 5
while True:
    echo(1)
