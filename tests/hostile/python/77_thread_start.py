# attempts: start a thread (clone is refused)
# expect: can't start new thread|not permitted
# limit_s: 5
# modules: threading
import threading
t = threading.Thread(target=print)
t.start()
