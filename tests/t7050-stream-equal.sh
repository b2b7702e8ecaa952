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
# (tests/workloads/export_same.py; the ops are numbered otherwise).  The workloads mix what is streamed (pipes, FIFOs,
# unix stream sockets, several writers into one pipe) with what is not
# (message queues, files, signals).
. "$(dirname "$0")/lib.sh"
require_recording jq python3

# The JSON of a full load without what a streamed one leaves out (the
# critical path; waits and blocked_ns are summed as they are matched).
NOHOT='del(.critical_path_end_ns, .critical_path_segments,
	.critical_path_truncated, .critical_path_by_process, .critical_path)'

# record NAME CMD...: a quiet recording into NAME/.
record() {
	_n=$1
	shift
	"$T" -q -o "$_n" "$@" >"$_n.out" 2>"$_n.err" || { cat "$_n.err"; return 1; }
}

# compare NAME: every output of both loads of NAME/trace.ipct.
compare() {
	_f=$1/trace.ipct
	"$T" report --full "$_f" >full.txt && "$T" report --stream "$_f" >stream.txt &&
	same "$1: report" "$(cat stream.txt)" "$(cat full.txt)" &&
	"$T" report --all --full "$_f" >full.txt && "$T" report --all --stream "$_f" >stream.txt &&
	same "$1: report --all" "$(cat stream.txt)" "$(cat full.txt)" &&
	"$T" report --latency --waits --full "$_f" >full.txt &&
	"$T" report --latency --waits --stream "$_f" >stream.txt &&
	same "$1: report --latency --waits" "$(cat stream.txt)" "$(cat full.txt)" &&
	"$T" report --json --full "$_f" | jq -S "$NOHOT" >full.json &&
	"$T" report --json --stream "$_f" >stream.json &&
	same "$1: streamed" "$(jq -c .streamed stream.json)" '{"late_events":0,"dropped_in_flight":0}' &&
	same "$1: critical path" "$(jq -c .critical_path stream.json)" null &&
	jq -S 'del(.streamed, .critical_path)' stream.json >stream-nohot.json &&
	same "$1: JSON" "$(cat stream-nohot.json)" "$(cat full.json)" &&
	"$T" graph -f dot --full "$_f" >full.dot && "$T" graph -f dot --stream "$_f" >stream.dot &&
	same "$1: graph" "$(cat stream.dot)" "$(cat full.dot)" &&
	"$T" graph -f dot --all --full "$_f" >full.dot &&
	"$T" graph -f dot --all --stream "$_f" >stream.dot &&
	same "$1: graph --all" "$(cat stream.dot)" "$(cat full.dot)" &&
	"$T" perfetto --format proto --full -o full.pb "$_f" &&
	"$T" perfetto --format proto --stream -o stream.pb "$_f" &&
	python3 "$ROOT/tests/workloads/pftrace.py" full.pb | grep -v "^packets" | sort >full.pf &&
	python3 "$ROOT/tests/workloads/pftrace.py" stream.pb | grep -v "^packets" | sort >stream.pf &&
	same "$1: perfetto" "$(cat stream.pf)" "$(cat full.pf)" &&
	grep -q "^unmatched 0$" stream.pf &&
	rm -rf xf xs && "$T" export --full -o xf "$_f" && "$T" export --stream -o xs "$_f" &&
	python3 "$ROOT/tests/workloads/export_same.py" xf xs
}

test_expect_success 'pipe_sum: one pipe, 6 writers' '
	record pipe "$D/pipe_sum" -n 3000 -p 6 && compare pipe &&
	[ "$(jq "[.flows[] | select(.kind == \"pipe\")] | length" stream.json)" -ge 6 ]
'

test_expect_success 'fifo_sum and socket_sum' '
	record fifo "$D/fifo_sum" -n 3000 -p 4 && compare fifo &&
	record sock "$D/socket_sum" -n 3000 -p 4 && compare sock
'

test_expect_success 'msgq_sum and signal_sum: kept, matched as before' '
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
