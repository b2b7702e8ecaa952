"""recv_again N: a socketpair between parent and child; the parent's
non-blocking socket finds nothing N times (EAGAIN), then the child sends
N messages of 10 bytes, one per 20 ms, each received by the parent
(retrying while EAGAIN).  Prints "parent PID child PID failed F"."""
import os, socket, sys, time

n = int(sys.argv[1])
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
b.setblocking(False)
failed = 0
for _ in range(n):
    try:
        b.recv(64)
    except BlockingIOError:
        failed += 1
pid = os.fork()
if pid == 0:
    b.close()
    for i in range(n):
        time.sleep(0.02)
        a.send(b"%010d" % i)
    os._exit(0)
a.close()
got = 0
while got < n:
    try:
        b.recv(64)
        got += 1
    except BlockingIOError:
        failed += 1
        time.sleep(0.005)
os.waitpid(pid, 0)
print("parent %d child %d failed %d" % (os.getpid(), pid, failed))
