# An asyncio echo over a socketpair between two processes: the child
# sends N lines of 11 bytes, the parent's event loop echoes each one.
import asyncio, os, socket, sys
N = int(sys.argv[1])
a, b = socket.socketpair()
pid = os.fork()
async def child():
    r, w = await asyncio.open_unix_connection(sock=b)
    got = 0
    for i in range(N):
        w.write(b"ping %05d\n" % i)
        await w.drain()
        got += len(await r.readline())
    w.close()
    print("child got", got, flush=True)
async def parent():
    r, w = await asyncio.open_unix_connection(sock=a)
    n = 0
    while line := await r.readline():
        w.write(line)
        await w.drain()
        n += 1
    print("parent echoed", n, flush=True)
if pid == 0:
    a.close(); asyncio.run(child()); os._exit(0)
b.close(); asyncio.run(parent()); os.waitpid(pid, 0)
