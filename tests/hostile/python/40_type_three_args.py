# attempts: make a class with type() to sidestep the guards
# expect: name 'type' is not defined
# limit_s: 5
T = type("T", (), {})
