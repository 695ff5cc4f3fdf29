# attempts: send a UDP datagram to localhost
# expect: Permission denied|Operation not permitted|Network is unreachable
# limit_s: 5
# modules: socket
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"x", ("127.0.0.1", {PORT}))
