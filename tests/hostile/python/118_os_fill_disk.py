# attempts: fill the disk through its own folder, file after 9 MB file (RLIMIT_FSIZE caps each file, not their number)
# expect: No space left on device
# limit_s: 5
# modules: os
import os
chunk = b"x" * (1 << 20)
n = 0
while True:
    fd = os.open("f%d" % n, os.O_WRONLY | os.O_CREAT)
    for i in range(9):
        os.write(fd, chunk)
    os.close(fd)
    n += 1
