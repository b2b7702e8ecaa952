#!/usr/bin/env python3
"""mktrace - write a small trace file with hand-made event records, for
tests of what readers do with hostile input.  The bytes follow
docs/trace-format.md on their own (no code shared with lib/), so the file
is also an independent check of the format.

usage: mktrace.py OUT RECORD...
  RECORD is TYPE:SIZE[:FILL[:OFF=HEX...]] - a record of event TYPE and SIZE
  bytes (a multiple of 8, >= 24): the 24-byte header (ts 1000 + 10 i,
  pid 100, tid 100, type, size, cpu 0), then bytes FILL (hex, default 41),
  with the bytes at each offset OFF of the record replaced by HEX, e.g.
  88=0900 (patches may rewrite the header; keep type and size).
The file has no END chunk unless --end is given first.

usage: mktrace.py --plain IN OUT
  copy trace IN to OUT with every chunk stored uncompressed (fuzz seeds:
  mutations of plain bytes reach the event decoder)."""
import struct
import sys
import zlib


def chunk(ctype, payload, count):
    head = b"CHNK" + struct.pack("<HHIII", ctype, 0, len(payload), len(payload), count)
    crc = zlib.crc32(payload, zlib.crc32(head)) & 0xffffffff
    return head + struct.pack("<I", crc) + payload


def string(s):
    b = s.encode() + b"\0"
    return struct.pack("<I", len(b)) + b


def varint(v):
    out = bytearray()
    while True:
        byte = v & 0x7f
        v >>= 7
        if v:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def record(spec, ts):
    parts = spec.split(":")
    rtype, size = int(parts[0]), int(parts[1])
    fill = int(parts[2], 16) if len(parts) > 2 and parts[2] else 0x41
    rec = bytearray(struct.pack("<QIIHHI", ts, 100, 100, rtype, size, 0))
    rec += bytearray([fill]) * (size - 24)
    for patch in parts[3:]:
        off, hexbytes = patch.split("=")
        data = bytes.fromhex(hexbytes)
        rec[int(off):int(off) + len(data)] = data
    return bytes(rec)


def encode(records):
    """The event encoding: each word against the previous record of its type."""
    prev, out = {}, bytearray()
    for rec in records:
        rtype = struct.unpack_from("<H", rec, 16)[0]
        words = struct.unpack("<%dQ" % (len(rec) // 8), rec)
        last = prev.get(rtype, ())
        out += varint(rtype) + varint(len(words))
        for i, w in enumerate(words):
            d = (w - (last[i] if i < len(last) else 0)) & (2**64 - 1)
            d = d - 2**64 if d >= 2**63 else d
            out += varint(((d << 1) ^ (d >> 63)) & (2**64 - 1))
        prev[rtype] = words
    return bytes(out)


def plain(src, dst):
    data = open(src, "rb").read()
    out, off = bytearray(data[:24]), struct.unpack_from("<I", data, 12)[0]
    out[16:24] = struct.pack("<Q", 0)  # no zlib feature
    while off + 24 <= len(data):
        ctype, flags, stored, raw, count = struct.unpack_from("<HHIII", data, off + 4)
        payload = data[off + 24:off + 24 + stored]
        if flags & 1:
            payload = zlib.decompress(payload)
        out += chunk(ctype, payload, count)
        off += 24 + stored
    with open(dst, "wb") as f:
        f.write(out)


def main(argv):
    if argv[:1] == ["--plain"] and len(argv) == 3:
        return plain(argv[1], argv[2])
    end = argv and argv[0] == "--end"
    if end:
        argv = argv[1:]
    if len(argv) < 2:
        sys.exit(__doc__)
    out, specs = argv[0], argv[1:]
    meta = struct.pack("<QQII", 0, 1000, 100, 0) + string("host") + string("kernel") + \
        struct.pack("<I", 1) + string("mktrace")
    records = [record(s, 1000 + 10 * i) for i, s in enumerate(specs)]
    data = b"IPCTRACE" + struct.pack("<IIQ", 1, 24, 0) + chunk(1, meta, 0)
    data += chunk(2, encode(records), len(records))
    if end:
        data += chunk(5, b"", 0)
    with open(out, "wb") as f:
        f.write(data)


main(sys.argv[1:])
