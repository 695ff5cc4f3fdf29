# attempts: reach os through random's private _os attribute
# expect: starts with "_"
# limit_s: 5
import random
print(random._os.environ)
