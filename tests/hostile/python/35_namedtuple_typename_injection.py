# attempts: inject code through namedtuple's type name
# expect: Type names and field names must be valid identifiers
# limit_s: 5
import collections
P = collections.namedtuple("P(): pass\nimport os\nclass Q", ["x"])
