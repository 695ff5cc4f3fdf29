# attempts: make the protocol pipes signal the parent (F_SETOWN + O_ASYNC: SIGIO, whose default kills) when it writes the next reply
# expect: parent survived
# limit_s: 5
# modules: os fcntl
import os, fcntl
for fd in (3, 4):
    try:
        fcntl.fcntl(fd, fcntl.F_SETOWN, os.getppid())
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_ASYNC)
    except OSError:
        pass
echo(1)
echo(2)
raise RuntimeError("parent survived")
