#!/usr/bin/env python3
"""export_same.py A B: two NDJSON exports of one trace (trace export, one
loaded whole, one streamed) hold the same rows: processes, channels and
flows equal; operations equal but for their numbers; transfers equal,
each pointing at ops with its own times and pids.  Prints "same" or what
differs (exit 1)."""
import json, sys
def load(d, t):
    return [json.loads(l) for l in open(f"{d}/{t}.ndjson")]
a, b = sys.argv[1], sys.argv[2]
ok = True
for t in ["processes", "channels", "flows"]:
    if load(a, t) != load(b, t):
        print("differ:", t); ok = False
def ops(d):
    rows = load(d, "operations")
    byid = {r["op"]: r for r in rows}
    assert len(byid) == len(rows), "duplicate op ids"
    return rows, byid
ra, ia = ops(a); rb, ib = ops(b)
strip = lambda r: tuple(sorted((k, v) for k, v in r.items() if k != "op"))
if sorted(map(strip, ra)) != sorted(map(strip, rb)):
    print("differ: operations"); ok = False
def tr(d, byid):
    out = []
    for r in load(d, "transfers"):
        s, v = byid[r["send_op"]], byid[r["recv_op"]]
        assert s["ts_ns"] == r["send_ts_ns"] and v["ts_ns"] == r["recv_ts_ns"], "bad op ref"
        assert s["pid"] == r["from_pid"] and v["pid"] == r["to_pid"], "bad op ref pid"
        out.append(tuple(sorted((k, x) for k, x in r.items() if k not in ("send_op", "recv_op"))) + (strip(s), strip(v)))
    return sorted(out)
if tr(a, ia) != tr(b, ib):
    print("differ: transfers"); ok = False
print("same" if ok else "DIFF")
sys.exit(0 if ok else 1)
