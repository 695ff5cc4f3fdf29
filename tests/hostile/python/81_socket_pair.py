# attempts: make a socketpair (any socket at all)
# expect: Permission denied|Operation not permitted
# limit_s: 5
# modules: socket
import socket
a, b = socket.socketpair()
