# poll_fates.py - waits for descriptors that end each way: 3 polls that
# time out, 2 that a signal interrupts (EINTR: the handler raises, so
# Python does not retry), and 1 that a child's write ends.  Prints
# "child PID".
import os, select, signal, sys, time

class Alarm(Exception):
    pass

def ring(signo, frame):
    raise Alarm()

r, w = os.pipe()
p = select.poll()
p.register(r, select.POLLIN)
for _ in range(3):
    assert p.poll(30) == []
signal.signal(signal.SIGALRM, ring)
for _ in range(2):
    signal.setitimer(signal.ITIMER_REAL, 0.03)
    try:
        p.poll(5000)
        sys.exit("poll was not interrupted")
    except Alarm:
        pass
pid = os.fork()
if pid == 0:
    time.sleep(0.05)
    os.write(w, b"x")
    os._exit(0)
assert p.poll(5000) == [(r, select.POLLIN)]
assert os.read(r, 1) == b"x"
os.waitpid(pid, 0)
print("child", pid)
