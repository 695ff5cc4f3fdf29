# attempts: inject code through collections.namedtuple's generated source (field names)
# expect: must be valid identifiers
# limit_s: 5
import collections
P = collections.namedtuple("P", ["x=__import__('os')"])
