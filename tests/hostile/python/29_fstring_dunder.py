# attempts: an f-string whose expression reaches a dunder attribute
# expect: starts with
# limit_s: 5
x = 1
print(f"{x.__class__.__mro__}")
