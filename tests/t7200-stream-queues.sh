#!/bin/sh
# The message kinds in a streamed load (--stream, the default past 1M
# events): datagram sockets (Unix and UDP), SysV and POSIX message queues
# and eventfd counters are matched as they are read, by the simulated
# queue the full load runs (viz/queue_sim.c).  On workloads that know
# what they moved, both loads must give the same outputs (report, JSON,
# graph, Perfetto, export: tests/stream_same.sh) and the flows the
# messages and bytes the workload counts; the streamed timeline's blocks
# and arrows must add up to them too.  Past 1M events (the recording
# itself then streams) the memory stays bounded.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/stream_same.sh"
require_recording jq python3 /usr/bin/time
# The streamed load of the 1.9M-event recording below stays under MAX_KB.
MAX_KB=$(peak_bound 100000)

# flows KIND: "MESSAGES BYTES UNMATCHED_MSGS UNMATCHED_BYTES" of the
# streamed JSON's flows and channels of KIND.
flows() {
	jq -r --arg k "$1" '[([.flows[] | select(.kind == $k) | .messages] | add),
		([.flows[] | select(.kind == $k) | .bytes] | add),
		([.channels[] | select(.kind == $k) | .messages_unmatched] | add),
		([.channels[] | select(.kind == $k) | .bytes_unmatched] | add)] | map(tostring) | join(" ")' stream.json
}

test_expect_success 'msgq_sum: SysV messages by type, streamed as the full load' '
	record msgq "$D/msgq_sum" -n 3000 -p 4 && compare msgq &&
	same "msgq flows" "$(flows msgq)" "4 32 0 0"
'

test_expect_success 'posix_mq_sum: POSIX messages, streamed as the full load' '
	record pmq "$D/posix_mq_sum" -n 3000 -p 5 && compare pmq &&
	same "posix mq flows" "$(flows msgq)" "5 40 0 0"
'

build_workload dgram_to
build_workload eventfd_pass
build_workload netpair

test_expect_success 'dgram_to: Unix datagrams to names, by sendmmsg and recvmmsg' '
	mkdir -p dd && record dg "$TEST_TMP/dgram_to" "$TEST_TMP/dd" 16 && compare dg &&
	same "unix datagram flows" "$(flows unix)" "36 1921 0 0"
'

test_expect_success 'eventfd_pass: a counter and a semaphore' '
	record efd "$TEST_TMP/eventfd_pass" && compare efd &&
	same "eventfd flows" "$(flows eventfd)" "4 48 0 0"
'

N=300
test_expect_success 'netpair: UDP datagrams and their answers' '
	record udp sh -c "rm -f pf; \"$TEST_TMP/netpair\" udp-server pf $N >srv.out &
		while [ ! -s pf ]; do sleep 0.05; done;
		read port <pf; \"$TEST_TMP/netpair\" udp-client \$port $N >cli.out; wait" &&
	compare udp &&
	same "udp flows" "$(flows udp)" "$((2 * N)) $((300 * N + N * (N - 1))) 0 0"
'

test_expect_success 'ipcbench: every message method, ping-pong and throughput' '
	record bench "$D/ipcbench" --method unix_dgram,udp,sysv_msgq,posix_mq \
		--size 100 --count 50 --runs 1 --warmup 10 --placement same && compare bench &&
	for k in unix udp msgq; do
		[ "$(jq "[.flows[] | select(.kind == \"$k\") | .messages] | add" stream.json)" -gt 500 ] ||
			return 1
	done
'

# drawn NAME: the sums of NAME's streamed timeline (stream_same.sh).
drawn() {
	"$T" timeline --stream -o $1-s.svg $1/trace.ipct && sums $1-s.svg
}

test_expect_success 'the streamed timeline: calls and transfers as the workloads count' '
	same "msgq_sum drawn" "$(drawn msgq)" "4 32 4 32 4 32" &&
	same "posix_mq_sum drawn" "$(drawn pmq)" "5 40 5 40 5 40" &&
	same "dgram_to drawn" "$(drawn dg)" "36 1921 36 1921 36 1921" &&
	same "eventfd_pass drawn" "$(drawn efd)" "4 32 4 32 6 48" &&
	# and the port file: written once, read a byte at a time by read
	P=$(wc -c <pf) && B=$((300 * N + N * (N - 1) + P)) &&
	same "udp drawn" "$(drawn udp)" "$((2 * N + 1)) $B $((2 * N + P)) $B $((2 * N + P)) $B"
'

# ipcbench's requests per method: warmup and count round trips, then a
# throughput run of warmup and of 10 x count messages.
test_expect_success 'ipcbench past 1M events: exact flows, drawn in bounded memory' '
	"$T" -q -s 0 -b 256 -o big "$D/ipcbench" --method sysv_msgq,unix_dgram,udp,posix_mq \
		--size 1 --count 20000 --runs 1 --warmup 100 --placement same >big.out 2>&1 ||
		{ cat big.out; exit 1; }
	[ "$(jq .events big/report.json)" -gt 1000000 ] &&
	same lost "$(jq .lost_events big/report.json)" 0 &&
	same streamed "$(jq -c .streamed big/report.json)" "{\"late_events\":0,\"dropped_in_flight\":0}" &&
	kb=$(peak "$T" report --json -o r.json big/trace.ipct) &&
	echo "report --json: $kb KB" && [ "$kb" -lt $MAX_KB ] && cmp r.json big/report.json &&
	same requests "$(jq -c "[.flows[] | select(.messages > 100000) | [.kind, .messages, .bytes]] | sort" r.json)" \
		"[[\"msgq\",220200,220200],[\"msgq\",220200,220200],[\"udp\",220200,220200],[\"unix\",220200,220200]]" &&
	same unmatched "$(jq "[.channels[] | .messages_unmatched] | add" r.json)" 0 &&
	kb=$(peak "$T" graph -f dot -o g.dot big/trace.ipct) &&
	echo "graph: $kb KB" && [ "$kb" -lt $MAX_KB ] && cmp g.dot big/graph.dot
'

test_done
