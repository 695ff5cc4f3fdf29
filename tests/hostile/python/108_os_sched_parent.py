# attempts: change the parent's scheduling: its CPU affinity, then its priority (same user)
# expect: Operation not permitted
# limit_s: 5
# modules: os
import os
ppid = os.getppid()
os.sched_setaffinity(ppid, os.sched_getaffinity(0))
os.setpriority(os.PRIO_PROCESS, ppid, os.getpriority(os.PRIO_PROCESS, ppid))
print("changed the parent's scheduling")
