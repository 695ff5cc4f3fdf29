# attempts: import an un-audited submodule of an allowed package
# expect: not available in the sandbox
# limit_s: 5
import json.decoder
