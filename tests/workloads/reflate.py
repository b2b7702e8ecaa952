"""reflate.py SRC OUTDIR N SEED: N damaged copies of trace SRC whose
EVENTS chunks have 1 to 4 bytes changed INSIDE the inflated payload
(the low 7 bits of a varint byte: the values change, not the framing),
deflated again with a fresh chunk CRC (docs/trace-format.md), so the
damage passes the reader's checks and reaches the record decoder and the
loads behind it.  Copy K changes one chunk chosen by the seeded random
generator; the same SEED makes the same files."""
import os
import random
import struct
import sys
import zlib

src = open(sys.argv[1], "rb").read()
out, n, rng = sys.argv[2], int(sys.argv[3]), random.Random(int(sys.argv[4]))
os.makedirs(out, exist_ok=True)
header_size = struct.unpack_from("<I", src, 12)[0]
chunks, off = [], header_size
while off + 24 <= len(src):
    magic, typ, flags, stored_len, raw_len, count = struct.unpack_from("<4sHHIII", src, off)
    if magic != b"CHNK":
        break
    chunks.append((typ, flags, raw_len, count, src[off + 24:off + 24 + stored_len]))
    off += 24 + stored_len
events = [i for i, c in enumerate(chunks) if c[0] == 2]
if not events:
    sys.exit("reflate.py: no EVENTS chunk")
for k in range(n):
    pick = rng.choice(events)
    parts = [src[:header_size]]
    for i, (typ, flags, raw_len, count, data) in enumerate(chunks):
        if i == pick:
            raw = bytearray(zlib.decompress(data) if flags & 1 else data)
            for _ in range(1 + k % 4):
                p = rng.randrange(len(raw))
                # bits 0-6 only: the varints keep their lengths, so
                # the records still decode, with other values
                raw[p] ^= rng.choice([0x7F, 0x40, 0x01, 1 << rng.randrange(7)])
            data = zlib.compress(bytes(raw), 1) if flags & 1 else bytes(raw)
        hdr = struct.pack("<4sHHIII", b"CHNK", typ, flags, len(data), raw_len, count)
        parts.append(hdr + struct.pack("<I", zlib.crc32(data, zlib.crc32(hdr))) + data)
    parts.append(src[off:])
    with open(f"{out}/d{k}.ipct", "wb") as f:
        f.write(b"".join(parts))
