# attempts: change the mode of a file outside (Landlock does not cover chmod)
# expect: Operation not permitted
# limit_s: 5
# modules: os
import os
os.chmod("{CANARY}", 0o666)
