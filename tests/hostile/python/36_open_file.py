# attempts: open() a file outside the folder
# expect: name 'open' is not defined
# limit_s: 5
print(open("{CANARY}").read())
