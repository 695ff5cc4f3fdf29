# attempts: connect to a listening localhost port
# expect: Permission denied|Operation not permitted|Network is unreachable
# limit_s: 5
# modules: socket
import socket
s = socket.socket()
s.settimeout(2)
s.connect(("127.0.0.1", {PORT}))
