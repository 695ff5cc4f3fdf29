# attempts: from-import a name the audited module does not hold
# expect: cannot import name
# limit_s: 5
from functools import namedtuple
