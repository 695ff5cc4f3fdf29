# attempts: change the owner of a file outside to what it is (Landlock does not cover chown)
# expect: Operation not permitted|Invalid argument
# limit_s: 5
# modules: os
import os
st = os.stat("{CANARY}")
os.chown("{CANARY}", st.st_uid, st.st_gid)
print("chown went through")
