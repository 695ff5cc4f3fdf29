# attempts: read the secret from the environment
# expect: KeyError
# limit_s: 5
# modules: os
import os
print(os.environ["{SECRET_ENV}"])
