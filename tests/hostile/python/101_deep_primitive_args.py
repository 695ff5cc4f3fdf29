# attempts: pass a primitive an argument nested 900 levels deep (the parent decodes and records it)
# expect: nests deeper than 100 levels
# limit_s: 5
x = []
for i in range(900):
    x = [x]
echo(x)
