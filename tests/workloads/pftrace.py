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
  slice CATEGORY NAME CHANNEL N   (slices per category, name and channel,
                            from the interned data or the event's strings)
  bad_iids N                (iids used before their interned data, or in a
                            packet without SEQ_NEEDS_INCREMENTAL_STATE)
  cleared_first N           (1: the first packet clears the incremental state)
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


# InternedData fields: event_categories, event_names,
# debug_annotation_names, debug_annotation_string_values
TABLES = {1: "category", 2: "name", 3: "debug_name", 29: "debug_string"}


def intern(interned, data):
    for tf, entry in fields(data):
        if tf in TABLES:
            e = dict(fields(entry))
            interned[TABLES[tf]][e.get(1)] = e.get(2, b"").decode()


def lookup(interned, table, iid, state):
    """The interned string IID of TABLE, counting a bad use."""
    if iid not in interned[table] or not state["needs"]:
        state["bad"] += 1
        return "?"
    return interned[table][iid]


def slice_key(interned, ev, state):
    """(category, name, channel) of a SLICE_BEGIN event."""
    cat = name = chan = ""
    for ef, evv in fields(ev):
        if ef == 22:
            cat = evv.decode()
        elif ef == 3:
            cat = lookup(interned, "category", evv, state)
        elif ef == 23:
            name = evv.decode()
        elif ef == 10:
            name = lookup(interned, "name", evv, state)
        elif ef == 4:
            d = dict(fields(evv))
            dname = d[10].decode() if 10 in d else \
                lookup(interned, "debug_name", d.get(1), state)
            if dname == "channel":
                chan = d[6].decode() if 6 in d else \
                    lookup(interned, "debug_string", d.get(17), state)
    return cat, name, chan


def main():
    data = open(sys.argv[1], "rb").read()
    counts = dict(packets=0, slices=0, slice_ends=0, counters=0, flows=0, flow_ends=0)
    starts, ends = {}, {}
    interned = dict((t, {}) for t in TABLES.values())
    state = dict(bad=0, needs=False)
    slices = {}
    cleared_first = 0
    for f, pkt in fields(data):
        assert f == 1, "not a Trace.packet field"
        counts["packets"] += 1
        ts = flags = 0
        ev = td = None
        for pf, pv in fields(pkt):
            if pf == 8:
                ts = pv
            elif pf == 11:
                ev = pv
            elif pf == 60:
                td = pv
            elif pf == 12:
                intern(interned, pv)
            elif pf == 13:
                flags = pv
        if counts["packets"] == 1:
            cleared_first = flags & 1
        state["needs"] = bool(flags & 2)
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
                key = slice_key(interned, ev, state)
                slices[key] = slices.get(key, 0) + 1
            elif kind == 2:
                counts["slice_ends"] += 1
            elif kind == 4:
                counts["counters"] += 1
    for k, v in counts.items():
        print(k, v)
    print("backward", sum(1 for k in starts if k in ends and ends[k] < starts[k]))
    print("unmatched", len(set(starts) ^ set(ends)))
    for key in sorted(slices):
        print("slice", *[k.replace(" ", "_") or "-" for k in key], slices[key])
    print("bad_iids", state["bad"])
    print("cleared_first", cleared_first)


main()
