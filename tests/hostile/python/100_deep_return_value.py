# attempts: return a value nested 985 levels deep: json.loads (and repr) in a parent that is already deep in its own stack raise RecursionError, ending the caller's step instead of the program
# expect: nests deeper than 100 levels
# limit_s: 5
# limits: entry=main
def main():
    x = []
    for i in range(985):
        x = [x]
    return x
