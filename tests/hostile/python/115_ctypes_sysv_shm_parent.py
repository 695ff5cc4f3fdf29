# attempts: attach the parent's System V shared-memory segment (mode 0600, same user; no path, so no Landlock) and read the secret in it
# expect: shm refused
# limit_s: 5
# modules: ctypes
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
shmat = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p, ctypes.c_int)(("shmat", libc))
for shmid in (libc.shmget({SHM_KEY}, 0, 0), {SHM_ID}):
    if shmid >= 0:
        address = shmat(shmid, None, 0)
        if address and address != 2**64 - 1:
            print(ctypes.string_at(address, 32))
raise OSError(ctypes.get_errno(), "shm refused")
