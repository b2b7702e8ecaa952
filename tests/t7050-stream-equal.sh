#!/bin/sh
# The streaming load (report, graph, perfetto --format proto and export with
# --stream; the default past 1M events) against the full one on recorded
# workloads: byte streams matched while reading must give the same
# summary, the same --latency and --waits sections, the same JSON (waits
# and blocked_ns too) but for the critical path it leaves out
# (docs/report-json.md), the same graph, with or without --all, and a
# Perfetto trace with the same tracks, slices, counters and flows (read
# back by tests/workloads/pftrace.py; the streamed one writes an instant
# per transfer, so more packets), and export tables with the same rows
# (tests/workloads/export_same.py; the ops are numbered otherwise).  The workloads mix byte streams (pipes, FIFOs,
# unix stream sockets, several writers into one pipe), a message queue
# files and signals; t7200 does every message kind, t7700 signals.
. "$(dirname "$0")/lib.sh"
require_recording jq python3

. "$ROOT/tests/stream_same.sh"

test_expect_success 'pipe_sum: one pipe, 6 writers' '
	record pipe "$D/pipe_sum" -n 3000 -p 6 && compare pipe &&
	[ "$(jq "[.flows[] | select(.kind == \"pipe\")] | length" stream.json)" -ge 6 ]
'

test_expect_success 'fifo_sum and socket_sum' '
	record fifo "$D/fifo_sum" -n 3000 -p 4 && compare fifo &&
	record sock "$D/socket_sum" -n 3000 -p 4 && compare sock
'

test_expect_success 'msgq_sum and signal_sum' '
	record msgq "$D/msgq_sum" -n 3000 -p 4 && compare msgq &&
	record sig "$D/signal_sum" -n 3000 -p 4 && compare sig
'

test_expect_success 'a shell pipeline, a FIFO and a socket pair of 1 MB' '
	mkfifo ff &&
	record sh sh -c "seq 1 30000 | sort -r | uniq | tail -n 3 >out.txt;
		(cat ff | wc -c >wc.txt) & printf hello >ff; wait;
		python3 -c \"import socket, os
a, b = socket.socketpair()
if os.fork() == 0:
    a.sendall(b\\\"y\\\" * 1000000); os._exit(0)
n = 0
while n < 1000000: n += len(b.recv(65536))
os.wait()\"" &&
	compare sh &&
	[ "$(jq "[.flows[] | select(.kind == \"unix\") | .bytes] | add" stream.json)" = 1000000 ]
'

test_expect_code 2 'perfetto --stream writes the protobuf only' '
	"$T" perfetto --stream -o x.json pipe/trace.ipct
'

test_expect_code 2 'report --stream has no --critical-path or --top' '
	"$T" report --stream --critical-path pipe/trace.ipct ||
	[ $? != 2 ] || "$T" report --stream --top 3 pipe/trace.ipct
'

test_done
