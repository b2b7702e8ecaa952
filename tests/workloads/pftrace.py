#!/usr/bin/env python3
"""pftrace.py FILE: read a Perfetto protobuf trace (a stream of
Trace.packet fields) with a decoder of its own, independent of
ipctrace's writer, and print one line per fact a test checks:

  packets N
  process PID NAME          (a ProcessDescriptor)
  thread PID TID NAME       (a ThreadDescriptor)
  counter_track NAME        (a CounterDescriptor track)
  slices N                  (SLICE_BEGIN events; as many SLICE_END)
  slice_ends N
  counters N                (COUNTER events)
  flows N                   (flow ids started)
  flow_ends N               (flow ids terminated)
  backward N                (flows whose end comes before their start)
  unmatched N               (flow ids started and never ended, or the reverse)
"""
import sys


def varint(b, i):
    v = s = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7f) << s
        s += 7
        if not c & 0x80:
            return v, i


def fields(b):
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        f, w = key >> 3, key & 7
        if w == 0:
            v, i = varint(b, i)
        elif w == 1:
            v = int.from_bytes(b[i:i + 8], "little")
            i += 8
        elif w == 2:
            n, i = varint(b, i)
            v = b[i:i + n]
            i += n
        elif w == 5:
            v = int.from_bytes(b[i:i + 4], "little")
            i += 4
        else:
            raise ValueError("wire type %d" % w)
        yield f, v


def main():
    data = open(sys.argv[1], "rb").read()
    counts = dict(packets=0, slices=0, slice_ends=0, counters=0, flows=0, flow_ends=0)
    starts, ends = {}, {}
    for f, pkt in fields(data):
        assert f == 1, "not a Trace.packet field"
        counts["packets"] += 1
        ts = 0
        ev = td = None
        for pf, pv in fields(pkt):
            if pf == 8:
                ts = pv
            elif pf == 11:
                ev = pv
            elif pf == 60:
                td = pv
        if td is not None:
            d = dict((k, v) for k, v in fields(td))
            if 3 in d:
                p = dict(fields(d[3]))
                print("process", p.get(1), p.get(6, b"").decode())
            elif 4 in d:
                t = dict(fields(d[4]))
                print("thread", t.get(1), t.get(2), t.get(5, b"").decode())
            elif 8 in d:
                print("counter_track", d.get(2, b"").decode())
        if ev is not None:
            kind = None
            for ef, evv in fields(ev):
                if ef == 9:
                    kind = evv
                elif ef == 47:
                    counts["flows"] += 1
                    starts[evv] = ts
                elif ef == 48:
                    counts["flow_ends"] += 1
                    ends[evv] = ts
            if kind == 1:
                counts["slices"] += 1
            elif kind == 2:
                counts["slice_ends"] += 1
            elif kind == 4:
                counts["counters"] += 1
    for k, v in counts.items():
        print(k, v)
    print("backward", sum(1 for k in starts if k in ends and ends[k] < starts[k]))
    print("unmatched", len(set(starts) ^ set(ends)))


main()
