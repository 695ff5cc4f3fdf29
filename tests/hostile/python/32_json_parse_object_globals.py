# attempts: json's decoder exposes parse_object (a Python function): copy its globals
# expect: update_wrapper/wraps in the sandbox take no
# limit_s: 5
import functools, json
def f():
    pass
functools.update_wrapper(f, json.JSONDecoder().parse_object, updated=("__globals__",))
