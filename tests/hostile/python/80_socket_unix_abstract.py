# attempts: connect to an abstract unix socket
# expect: Permission denied|Operation not permitted|Connection refused
# limit_s: 5
# modules: socket
import socket
s = socket.socket(socket.AF_UNIX)
s.connect("\0agentkit-hostile")
