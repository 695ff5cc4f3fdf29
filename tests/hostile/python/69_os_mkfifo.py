# attempts: make a named pipe (devices, sockets and fifos are not granted)
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: os
import os
os.mkfifo("fifo")
