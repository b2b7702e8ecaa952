"""select_echo.py MODE N: a parent and its child echo N messages over a
socketpair, each side waiting for the other in an event loop: MODE
"selectors" (the selectors module's epoll, 100-byte messages) or
"asyncio" (asyncio streams, 10-byte lines).  The parent sends one
message, waits for its echo, then sends the next.  Prints both pids and
the bytes the parent got back."""
import asyncio
import os
import selectors
import socket
import sys

mode, n = sys.argv[1], int(sys.argv[2])
a, b = socket.socketpair()
child = os.fork()


def sel_child():
    s = selectors.DefaultSelector()
    s.register(b, selectors.EVENT_READ)
    while True:
        s.select()
        d = b.recv(4096)
        if not d:
            return
        b.sendall(d)


def sel_parent():
    s = selectors.DefaultSelector()
    s.register(a, selectors.EVENT_READ)
    total = 0
    for _ in range(n):
        a.sendall(b"x" * 100)
        got = 0
        while got < 100:
            s.select()
            got += len(a.recv(4096))
        total += got
    return total


async def aio_child():
    r, w = await asyncio.open_connection(sock=b)
    while line := await r.readline():
        w.write(line.upper())
        await w.drain()
    w.close()


async def aio_parent():
    r, w = await asyncio.open_connection(sock=a)
    total = 0
    for i in range(n):
        w.write(b"ping %04d\n" % i)
        await w.drain()
        total += len(await r.readline())
    w.close()
    await w.wait_closed()
    return total


if child == 0:
    a.close()
    sel_child() if mode == "selectors" else asyncio.run(aio_child())
    os._exit(0)
b.close()
got = sel_parent() if mode == "selectors" else asyncio.run(aio_parent())
a.close()
os.waitpid(child, 0)
print(os.getpid(), child, got)
